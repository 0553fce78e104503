/* eslint-disable @typescript-eslint/no-explicit-any -- the rows of raw SQL queries */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { anyPatientSqlCondition, numberPlaceholders, type PatientSelector } from '@krypton/patient-match';
import { dicomDateToIso, type PriorCandidate, type RelevantPrior } from './prior-relevance';

/** `available`: in the hub's catalogue (open it in the viewer); `to-fetch`/`fetching`: being retrieved from `source`; `failed`: see `lastError`. */
export type PriorState = 'available' | 'to-fetch' | 'fetching' | 'failed';

/** A prior study attached to an exam's reading task, as the reading API shows it. */
export interface PriorView {
  readonly studyInstanceUid: string;
  readonly source: string;
  readonly state: PriorState;
  readonly studyDate: string | null;
  readonly modalities: readonly string[];
  readonly bodyParts: readonly string[];
  readonly description: string | null;
  readonly relevance: string;
  readonly rank: number;
  readonly instances: number | null;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

export const CATALOGUE_SOURCE = 'catalogue';

/**
 * The `exam_prior` table (written by the priors activities, read by the reading API) and the
 * catalogue side of the prior search.
 */
@Injectable()
export class PriorStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * The patient's studies in the hub's catalogue (the patient-matching rule: INS across sites,
   * local identifiers within their issuer) since `sinceIso`, with their series' modalities and body parts.
   */
  async catalogueCandidates(selectors: readonly PatientSelector[], sinceIso: string): Promise<PriorCandidate[]> {
    if (!selectors.length) return [];
    const who = anyPatientSqlCondition(selectors);
    const rows = await this.ds.query(
      `SELECT s.study_uid, s.study_date, s.study_description,
              array_remove(array_agg(DISTINCT se.modality), NULL) AS modalities,
              array_remove(array_agg(DISTINCT upper(se.body_part)), NULL) AS body_parts,
              (SELECT count(*) FROM instance i JOIN series x ON x.id = i.series_fk WHERE x.study_fk = s.id)::int AS instances
         FROM study s JOIN patient p ON p.id = s.patient_fk LEFT JOIN series se ON se.study_fk = s.id
        WHERE ${numberPlaceholders(who, 2)}
          AND (s.study_date IS NULL OR s.study_date !~ '^\\d{8}$' OR to_date(s.study_date, 'YYYYMMDD') >= $1::date)
        GROUP BY s.id ORDER BY s.study_date DESC NULLS LAST LIMIT 500`,
      [sinceIso, ...who.params],
    );
    return rows.map((r: any): PriorCandidate => ({
      studyUid: r.study_uid,
      source: CATALOGUE_SOURCE,
      studyDate: dicomDateToIso(r.study_date),
      modalities: r.modalities,
      bodyParts: r.body_parts,
      description: r.study_description,
      instances: r.instances,
    }));
  }

  /** Instances of a study the catalogue holds (a fetched prior is `available` once all it was sent are indexed). */
  async instanceCount(studyUid: string): Promise<number> {
    const [r] = await this.ds.query(`SELECT count(*)::int AS n FROM instance i JOIN series se ON se.id = i.series_fk JOIN study s ON s.id = se.study_fk WHERE s.study_uid = $1`, [studyUid]);
    return r.n;
  }

  /**
   * Attaches the relevant priors (one statement). A prior already attached keeps its state unless
   * it is now in the catalogue (found again after a fetch, or filed meanwhile): a second search
   * never sends a fetched prior back to `to-fetch`.
   */
  async attach(requestId: string, priors: readonly RelevantPrior[]): Promise<void> {
    if (!priors.length) return;
    await this.ds.query(
      `INSERT INTO exam_prior (request_id, study_uid, source, state, study_date, modalities, body_parts, description, relevance, rank, instances)
       SELECT $1, x.study_uid, x.source, CASE WHEN x.source = '${CATALOGUE_SOURCE}' THEN 'available' ELSE 'to-fetch' END, x.study_date::date, x.modalities, x.body_parts, x.description, x.relevance, x.rank, x.instances
         FROM jsonb_to_recordset($2::jsonb) AS x(study_uid text, source text, study_date text, modalities text[], body_parts text[], description text, relevance text, rank int, instances int)
       ON CONFLICT (request_id, study_uid) DO UPDATE
         SET relevance = excluded.relevance, rank = excluded.rank, updated_at = now(),
             -- A prior being fetched is partly indexed already: its fetch decides when it is available.
             -- One filed in the catalogue meanwhile (another door) is available from there.
             source = CASE WHEN exam_prior.state IN ('to-fetch', 'failed') AND excluded.state = 'available' THEN excluded.source ELSE exam_prior.source END,
             instances = CASE WHEN exam_prior.state = 'fetching' THEN exam_prior.instances ELSE coalesce(excluded.instances, exam_prior.instances) END,
             state = CASE WHEN exam_prior.state IN ('fetching', 'available') THEN exam_prior.state WHEN excluded.state = 'available' THEN 'available' ELSE 'to-fetch' END,
             last_error = CASE WHEN excluded.state = 'available' THEN NULL ELSE exam_prior.last_error END`,
      [
        requestId,
        JSON.stringify(
          priors.map((p) => ({
            study_uid: p.studyUid,
            source: p.source,
            study_date: p.studyDate,
            modalities: p.modalities,
            body_parts: p.bodyParts,
            description: p.description,
            relevance: p.relevance,
            rank: p.rank,
            instances: p.instances,
          })),
        ),
      ],
    );
  }

  async mark(requestId: string, studyUid: string, state: PriorState, detail: { error?: string; instances?: number } = {}): Promise<void> {
    await this.ds.query(`UPDATE exam_prior SET state = $3, last_error = $4, instances = coalesce($5, instances), updated_at = now() WHERE request_id = $1 AND study_uid = $2`, [
      requestId,
      studyUid,
      state,
      detail.error ?? null,
      detail.instances ?? null,
    ]);
  }

  /** An exam's priors, most relevant first. */
  async list(requestId: string): Promise<PriorView[]> {
    const rows = await this.ds.query(`SELECT *, to_char(study_date, 'YYYY-MM-DD') AS day FROM exam_prior WHERE request_id = $1 ORDER BY rank, study_date DESC NULLS LAST, study_uid`, [requestId]);
    return rows.map((r: any): PriorView => ({
      studyInstanceUid: r.study_uid,
      source: r.source,
      state: r.state,
      studyDate: r.day,
      modalities: r.modalities,
      bodyParts: r.body_parts,
      description: r.description,
      relevance: r.relevance,
      rank: r.rank,
      instances: r.instances,
      lastError: r.last_error,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}
