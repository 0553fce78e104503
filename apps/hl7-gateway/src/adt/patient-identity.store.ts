import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AdtMessage, PatientMerge, PatientMergeMessage, PatientUpdateMessage } from '@krypton/hl7';
import type { RequestPatient } from '@krypton/pathway';
import { anyPatientSqlCondition, numberPlaceholders, patientSqlCondition } from '@krypton/patient-match';
import { checkMerge, dicomPersonName, dicomSex, localIdKey, localSelector, mergedPatient, patientColumns, samePatient, survivingIdentifierFor, updatedPatient } from './patient-identity';
import { AdtResult, MergeResult, PatientSink } from './patient-sink';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Applies ADT^A08 and ADT^A40 to every place the hub keeps a patient: exam requests (and the
 * worklist items published from them, so that the modality worklist shows the new name), the
 * image catalogue's `patient` rows, and the dose registry rows keyed by them. One transaction per
 * message; every statement is written so that applying the message twice changes nothing more.
 *
 * Requests are matched by the sender's local identifiers (`issuer|value`), not by INS: the sender
 * is authoritative for its own identifier domain, and an INS typed wrong in one hospital's A08
 * must not rename requests that other hospitals placed.
 *
 * The catalogue is authoritative for patient identity, as in dcm4chee's patient update: stored
 * DICOM files keep the PatientID and name they were received with, and QIDO, C-FIND and the
 * viewer answer from the catalogue. A WADO retrieve therefore returns the file's original header.
 */
@Injectable()
export class PatientIdentityStore implements PatientSink {
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
    const { matched, requests } = await this.rewriteRequests(m, keys, null, (p) => updatedPatient(p, incoming));
    const worklistItems = await this.syncWorklist(m, requests);
    // The sender's records, by the patient-matching rule: each identifier within its issuer.
    const who = anyPatientSqlCondition(incoming.identifiers.map(localSelector));
    const [, catalogPatients]: [unknown, number] = await m.query(
      `UPDATE patient p SET name = $1, birth_date = coalesce($2, p.birth_date), sex = coalesce($3, p.sex), ins = coalesce($4, p.ins), updated_at = now()
       WHERE ${numberPlaceholders(who, 5)}
         AND (p.name IS DISTINCT FROM $1 OR p.birth_date IS DISTINCT FROM coalesce($2, p.birth_date)
           OR p.sex IS DISTINCT FROM coalesce($3, p.sex) OR p.ins IS DISTINCT FROM coalesce($4, p.ins))`,
      [dicomPersonName(incoming), incoming.birthDate ?? null, dicomSex(incoming.sex), incoming.ins ?? null, ...who.params],
    );
    const changed = requests.length > 0 || worklistItems > 0 || catalogPatients > 0;
    const outcome = changed ? 'updated' : matched > 0 || (await this.knownInCatalog(m, incoming)) ? 'unchanged' : 'unknown patient';
    return { outcome, requests, worklistItems, catalogPatients };
  }

  private async merge(m: EntityManager, message: PatientMergeMessage): Promise<AdtResult> {
    const merges: MergeResult[] = [];
    for (const merge of message.merges) merges.push(await this.mergeOne(m, merge));
    // Hospitals send merges for patients the hub never saw: answered AA, recorded as such.
    const changed = merges.some((r) => r.requests.length || r.studies.length || r.doseRows || r.priorPatients.some((p) => p.fate === 'deleted'));
    return { outcome: changed ? 'merged' : 'nothing to merge', merges };
  }

  private async mergeOne(m: EntityManager, merge: PatientMerge): Promise<MergeResult> {
    const priorKeys = merge.prior.identifiers.map(localIdKey);
    const { requests } = await this.rewriteRequests(m, priorKeys, merge.prior.ins ?? null, (p) => mergedPatient(p, merge));
    const worklistItems = await this.syncWorklist(m, requests);
    const studies: string[] = [];
    let doseRows = 0;
    const priorPatients: MergeResult['priorPatients'][number][] = [];

    for (const prior of merge.prior.identifiers) {
      const priorPatient = patientSqlCondition(localSelector(prior));
      const [row] = await m.query(`SELECT p.id FROM patient p WHERE ${numberPlaceholders(priorPatient)} FOR UPDATE`, [...priorPatient.params]);
      if (!row) continue;
      const target = survivingIdentifierFor(prior, merge.surviving);
      // A PID with an INS only has no key the catalogue files images under: the prior row stays.
      if (!target) {
        priorPatients.push({ key: localIdKey(prior), fate: 'kept', survivor: '' });
        continue;
      }
      const survivorId = await this.upsertCatalogPatient(m, target.value, target.issuer, merge.surviving);
      const [moved]: [{ study_uid: string }[], number] = await m.query('UPDATE study SET patient_fk = $2, updated_at = now() WHERE patient_fk = $1 RETURNING study_uid', [row.id, survivorId]);
      studies.push(...moved.map((s) => s.study_uid));
      // Dose rows carry the patient for the history query; alerts keep their ids (derived once, at opening).
      for (const table of ['dose_exam', 'dose_event', 'dose_alert']) {
        const [, n]: [unknown, number] = await m.query(`UPDATE ${table} SET patient_fk = $2 WHERE patient_fk = $1`, [row.id, survivorId]);
        doseRows += n;
      }
      priorPatients.push({ key: localIdKey(prior), fate: await this.deleteIfUnreferenced(m, row.id), survivor: localIdKey(target) });
    }

    if (merge.prior.ins) {
      // The INS MRG-1 names was the wrong identity: the catalogue stops linking images to it.
      await m.query('UPDATE patient SET ins = $2, updated_at = now() WHERE ins = $1', [merge.prior.ins, merge.surviving.ins ?? null]);
    }
    return { prior: [...priorKeys, ...(merge.prior.ins ? [`INS|${merge.prior.ins}`] : [])], requests, worklistItems, studies, doseRows, priorPatients };
  }

  /**
   * The prior patient row is deleted once nothing points at it, rather than kept and marked
   * merged: every catalogue query (QIDO, C-FIND, dose history) would otherwise have to learn to
   * hide it, and the evidence of the merge is the journaled A40 (raw message and this result).
   * If a table the merge does not re-key still references it, it is kept (savepoint, no failure).
   * An image of the old identifier received later files a new row under it, as it should: that is
   * what the image says, and a new A40 merges it.
   */
  private async deleteIfUnreferenced(m: EntityManager, id: string): Promise<'deleted' | 'kept'> {
    await m.query('SAVEPOINT prior_patient');
    try {
      await m.query('DELETE FROM patient WHERE id = $1', [id]);
      await m.query('RELEASE SAVEPOINT prior_patient');
      return 'deleted';
    } catch (e) {
      if (e?.code !== FOREIGN_KEY_VIOLATION) throw e;
      await m.query('ROLLBACK TO SAVEPOINT prior_patient');
      return 'kept';
    }
  }

  /** The surviving catalogue patient, created if the hub has no image of it yet; its demographics from the PID. */
  private async upsertCatalogPatient(m: EntityManager, patientId: string, issuer: string, p: RequestPatient): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO patient (patient_id, issuer, name, birth_date, sex, ins) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (patient_id, issuer) DO UPDATE SET name = EXCLUDED.name, birth_date = coalesce(EXCLUDED.birth_date, patient.birth_date),
         sex = coalesce(EXCLUDED.sex, patient.sex), ins = coalesce(EXCLUDED.ins, patient.ins), updated_at = now()
       RETURNING id`,
      [patientId, issuer, dicomPersonName(p), p.birthDate ?? null, dicomSex(p.sex), p.ins ?? null],
    );
    return String(row.id);
  }

  /**
   * Rewrites the patient of every request holding one of `localIds` (or `ins`), locked for the
   * transaction. Only rows whose patient actually changes are written.
   * @returns how many requests hold the patient, and the ids of those rewritten.
   */
  private async rewriteRequests(m: EntityManager, localIds: string[], ins: string | null, change: (p: RequestPatient) => RequestPatient): Promise<{ matched: number; requests: string[] }> {
    if (localIds.length === 0 && !ins) return { matched: 0, requests: [] };
    const rows: { id: string; patient: RequestPatient }[] = await m.query(
      `SELECT id, patient FROM exam_request WHERE patient_local_ids && $1::text[] OR ($2::text IS NOT NULL AND patient_ins = $2) ORDER BY id FOR UPDATE`,
      [localIds, ins],
    );
    const changed: string[] = [];
    for (const row of rows) {
      const next = change(row.patient);
      if (samePatient(next, row.patient)) continue;
      const c = patientColumns(next);
      await m.query(`UPDATE exam_request SET patient = $2, patient_ins = $3, patient_local_ids = $4, patient_family_name = $5, updated_at = now() WHERE id = $1`, [
        row.id,
        JSON.stringify(next),
        c.ins,
        c.localIds,
        c.familyName,
      ]);
      changed.push(row.id);
    }
    return { matched: rows.length, requests: changed };
  }

  /** Worklist items carry a copy of the request's patient: the modality sees the corrected one. */
  private async syncWorklist(m: EntityManager, requestIds: string[]): Promise<number> {
    if (requestIds.length === 0) return 0;
    const [, n]: [unknown, number] = await m.query(
      `UPDATE worklist_item w SET patient = r.patient, updated_at = now() FROM exam_request r
        WHERE w.request_id = r.id AND r.id = ANY($1::uuid[]) AND w.patient IS DISTINCT FROM r.patient`,
      [requestIds],
    );
    return n;
  }

  private async knownInCatalog(m: EntityManager, p: RequestPatient): Promise<boolean> {
    const who = anyPatientSqlCondition(p.identifiers.map(localSelector));
    const rows = await m.query(`SELECT 1 FROM patient p WHERE ${numberPlaceholders(who)} LIMIT 1`, [...who.params]);
    return rows.length > 0;
  }
}
