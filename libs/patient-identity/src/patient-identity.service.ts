import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CatalogDemographics,
  catalogKnowsPatient,
  deleteCatalogPatientIfUnreferenced,
  lockCatalogPatient,
  moveCatalogStudies,
  replaceCatalogIns,
  updateCatalogDemographics,
  upsertCatalogPatient,
} from '@krypton/catalog';
import { rekeyDosePatient } from '@krypton/dose-registry';
import type { AdtMessage, PatientMerge, PatientMergeMessage, PatientUpdateMessage } from '@krypton/hl7';
import { rekeyRequestPatients, RequestPatient, syncWorklistPatients } from '@krypton/pathway';
import type { AdtResult, MergeResult } from './adt-result';
import { checkMerge, dicomPersonName, dicomSex, localIdKey, localSelector, mergedPatient, samePatient, survivingIdentifierFor, updatedPatient } from './patient-identity.rules';

/** The catalogue's form of a patient's demographics (DICOM PN, no "unknown" sex). */
function catalogDemographics(p: RequestPatient): CatalogDemographics {
  return { name: dicomPersonName(p), birthDate: p.birthDate ?? null, sex: dicomSex(p.sex), ins: p.ins ?? null };
}

/**
 * The hub's patient identity: applies ADT^A08 (demographics update) and ADT^A40 (merge) to every
 * module that keeps a patient — exam requests and the worklist items published from them
 * (libs/pathway), the image catalogue's `patient` rows and their studies (libs/catalog), and the
 * dose registry rows keyed by them (libs/dose-registry). It owns no table: each owner re-keys its
 * own rows through its store's functions, all in one transaction per message, and every one of
 * them changes nothing more when the message is applied twice.
 *
 * Requests are matched by the sender's local identifiers (`issuer|value`), not by INS: the sender
 * is authoritative for its own identifier domain, and an INS typed wrong in one hospital's A08
 * must not rename requests that other hospitals placed.
 */
@Injectable()
export class PatientIdentityService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async apply(message: AdtMessage): Promise<AdtResult> {
    if (message.kind === 'patient-merge') {
      // Checked before the transaction: a wrong message is an AE, not a rollback.
      message.merges.forEach(checkMerge);
      return this.ds.transaction((m) => this.merge(m, message));
    }
    return this.ds.transaction((m) => this.update(m, message));
  }

  private async update(m: EntityManager, message: PatientUpdateMessage): Promise<AdtResult> {
    const incoming = message.patient;
    const keys = incoming.identifiers.map(localIdKey);
    const { matched, requests } = await rekeyRequestPatients(m, keys, null, (p) => changed(p, updatedPatient(p, incoming)));
    const worklistItems = await syncWorklistPatients(m, requests);
    // The sender's records, by the patient-matching rule: each identifier within its issuer.
    const who = incoming.identifiers.map(localSelector);
    const catalogPatients = await updateCatalogDemographics(m, who, catalogDemographics(incoming));
    const anyChange = requests.length > 0 || worklistItems > 0 || catalogPatients > 0;
    const outcome = anyChange ? 'updated' : matched > 0 || (await catalogKnowsPatient(m, who)) ? 'unchanged' : 'unknown patient';
    return { outcome, requests, worklistItems, catalogPatients };
  }

  private async merge(m: EntityManager, message: PatientMergeMessage): Promise<AdtResult> {
    const merges: MergeResult[] = [];
    for (const merge of message.merges) merges.push(await this.mergeOne(m, merge));
    // Hospitals send merges for patients the hub never saw: answered AA, recorded as such.
    const anyChange = merges.some((r) => r.requests.length || r.studies.length || r.doseRows || r.priorPatients.some((p) => p.fate === 'deleted'));
    return { outcome: anyChange ? 'merged' : 'nothing to merge', merges };
  }

  private async mergeOne(m: EntityManager, merge: PatientMerge): Promise<MergeResult> {
    const priorKeys = merge.prior.identifiers.map(localIdKey);
    const { requests } = await rekeyRequestPatients(m, priorKeys, merge.prior.ins ?? null, (p) => changed(p, mergedPatient(p, merge)));
    const worklistItems = await syncWorklistPatients(m, requests);
    const studies: string[] = [];
    let doseRows = 0;
    const priorPatients: MergeResult['priorPatients'][number][] = [];

    for (const prior of merge.prior.identifiers) {
      const priorId = await lockCatalogPatient(m, localSelector(prior));
      if (!priorId) continue;
      const target = survivingIdentifierFor(prior, merge.surviving);
      // A PID with an INS only has no key the catalogue files images under: the prior row stays.
      if (!target) {
        priorPatients.push({ key: localIdKey(prior), fate: 'kept', survivor: '' });
        continue;
      }
      const survivorId = await upsertCatalogPatient(m, target.value, target.issuer, catalogDemographics(merge.surviving));
      studies.push(...(await moveCatalogStudies(m, priorId, survivorId)));
      doseRows += await rekeyDosePatient(m, priorId, survivorId);
      priorPatients.push({ key: localIdKey(prior), fate: await deleteCatalogPatientIfUnreferenced(m, priorId), survivor: localIdKey(target) });
    }

    // The INS MRG-1 names was the wrong identity: the catalogue stops linking images to it.
    if (merge.prior.ins) await replaceCatalogIns(m, merge.prior.ins, merge.surviving.ins ?? null);
    return { prior: [...priorKeys, ...(merge.prior.ins ? [`INS|${merge.prior.ins}`] : [])], requests, worklistItems, studies, doseRows, priorPatients };
  }
}

/** The new patient, or undefined when it is the same content (the request is then left unwritten). */
function changed(current: RequestPatient, next: RequestPatient): RequestPatient | undefined {
  return samePatient(next, current) ? undefined : next;
}
