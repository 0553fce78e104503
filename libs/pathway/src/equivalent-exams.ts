/* eslint-disable @typescript-eslint/no-explicit-any -- the rows of raw SQL queries */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { anyPatientSqlCondition, numberPlaceholders } from '@krypton/patient-match';
import { requestPatientSelectors } from './prior-relevance';
import type { NewRequest } from './new-request';

/** A recent exam of the same procedure family for the same patient, somewhere in the region. */
export interface EquivalentExam {
  /** A request not cancelled (scheduled, acquired, reported...), or a study in the catalogue no request claims. */
  readonly source: 'request' | 'study';
  readonly requestId: string | null;
  readonly studyInstanceUid: string | null;
  readonly procedureCode: string | null;
  readonly description: string | null;
  readonly modality: string;
  readonly bodyPart: string;
  /** ISO date of the request, or of the study (its Study Date, else when it arrived). */
  readonly date: string;
  readonly site: string | null;
  readonly state: string | null;
}

/**
 * Finds what a referrer should see before an exam is done again: requests of the same family for
 * the same patient (by INS across sites, or by issuer + Patient ID — the patient-matching rule,
 * never a bare Patient ID) and catalogue studies with a series of that modality and body part.
 * The family is the procedure catalogue's modality and body part; an unmapped procedure has none.
 */
@Injectable()
export class EquivalentExamFinder {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  async find(requestId: string, patient: NewRequest['patient'], family: { modality: string | null; bodyPart: string | null }): Promise<EquivalentExam[]> {
    if (!family.modality || !family.bodyPart) return [];
    const selectors = requestPatientSelectors(patient);
    if (!selectors.length) return [];
    const eq = this.cfg.requests.equivalentExams;
    const days = eq.windowDaysByModality[family.modality] ?? eq.windowDays;
    const localIds = patient.identifiers.map((i) => `${i.issuer}|${i.value}`);
    const requests = await this.ds.query(
      `SELECT id, procedure_code, procedure_label, modality, body_part, created_at, coalesce(scheduled_site, target_site) AS site, state, acquired_study_uid, study_instance_uid
         FROM exam_request
        WHERE id <> $1 AND state <> 'cancelled' AND modality = $2 AND body_part = $3 AND created_at >= now() - make_interval(days => $4)
          AND ((patient_ins IS NOT NULL AND patient_ins = $5) OR patient_local_ids && $6::text[])
        ORDER BY created_at DESC LIMIT 20`,
      [requestId, family.modality, family.bodyPart, days, patient.ins ?? null, localIds],
    );
    const claimed = new Set<string>(requests.flatMap((r: any) => [r.acquired_study_uid, r.study_instance_uid]).filter(Boolean));
    const who = anyPatientSqlCondition(selectors);
    const studies = await this.ds.query(
      `SELECT s.study_uid, s.study_description, s.study_date, s.received_at, s.source_ae
         FROM study s JOIN patient p ON p.id = s.patient_fk
        WHERE ${numberPlaceholders(who, 4)}
          AND EXISTS (SELECT 1 FROM series se WHERE se.study_fk = s.id AND se.modality = $1 AND upper(se.body_part) = $2)
          AND coalesce(CASE WHEN s.study_date ~ '^\\d{8}$' THEN to_date(s.study_date, 'YYYYMMDD') END, s.received_at::date) >= (now() - make_interval(days => $3))::date
        ORDER BY s.received_at DESC LIMIT 20`,
      [family.modality, family.bodyPart, days, ...who.params],
    );
    const siteOf = new Map(this.cfg.aes.map((a) => [a.aeTitle, a.site]));
    return [
      ...requests.map((r: any): EquivalentExam => ({
        source: 'request',
        requestId: r.id,
        studyInstanceUid: r.acquired_study_uid ?? r.study_instance_uid ?? null,
        procedureCode: r.procedure_code,
        description: r.procedure_label,
        modality: r.modality,
        bodyPart: r.body_part,
        date: new Date(r.created_at).toISOString().slice(0, 10),
        site: r.site ?? null,
        state: r.state,
      })),
      ...studies
        .filter((s: any) => !claimed.has(s.study_uid))
        .map((s: any): EquivalentExam => ({
          source: 'study',
          requestId: null,
          studyInstanceUid: s.study_uid,
          procedureCode: null,
          description: s.study_description,
          modality: family.modality as string,
          bodyPart: family.bodyPart as string,
          date: /^\d{8}$/.test(s.study_date ?? '') ? `${s.study_date.slice(0, 4)}-${s.study_date.slice(4, 6)}-${s.study_date.slice(6, 8)}` : new Date(s.received_at).toISOString().slice(0, 10),
          site: s.source_ae ? (siteOf.get(s.source_ae) ?? null) : null,
          state: null,
        })),
    ];
  }
}

/** One line for a person (HL7 ERR-8, FHIR note): what, when, where. */
export function describeEquivalentExam(e: EquivalentExam): string {
  const what = [e.modality, e.bodyPart, e.description ? `(${e.description})` : ''].filter(Boolean).join(' ');
  const where = e.site ? ` at ${e.site}` : '';
  const ref = e.source === 'request' ? `request ${e.requestId}${e.state ? `, ${e.state}` : ''}` : `study ${e.studyInstanceUid}`;
  return `recent equivalent exam: ${what} on ${e.date}${where} (${ref})`;
}
