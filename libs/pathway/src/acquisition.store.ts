import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogService } from '@krypton/catalog';
import type { PathwayState } from './pathway-state';

/** A request an acquisition event belongs to. */
export interface MatchedRequest {
  readonly requestId: string;
  readonly workflowId: string;
  readonly state: PathwayState;
}

export interface StudySummary {
  readonly studyUid: string;
  readonly accessionNumber: string | null;
  readonly sourceAe: string | null;
  readonly studyDate: string | null;
  readonly patientId: string;
  readonly issuer: string;
  readonly patientName: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly ins: string | null;
  readonly referringPhysician: string | null;
}

export interface MppsSummary {
  readonly sopInstanceUid: string;
  readonly status: 'IN PROGRESS' | 'COMPLETED' | 'DISCONTINUED';
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly updatedAt: string;
}

export interface UnmatchedView {
  readonly studies: readonly (Omit<StudySummary, 'issuer' | 'birthDate' | 'sex' | 'ins' | 'referringPhysician'> & { readonly firstSeen: string })[];
  readonly mpps: readonly (MppsSummary & { readonly callingAe: string | null })[];
}

// An exam's study is found by its pre-assigned Study Instance UID first (what IHE SWF modalities
// copy from the worklist), then by the study a coordinator attached, then by accession number
// (modalities that generate their own UID but keep the accession number).
const MATCH = `
  SELECT id AS "requestId", workflow_id AS "workflowId", state FROM exam_request
   WHERE study_instance_uid = $1 OR acquired_study_uid = $1 OR (nullif($2, '') IS NOT NULL AND accession_number = $2)
   ORDER BY (study_instance_uid = $1) DESC, (acquired_study_uid = $1) DESC, created_at DESC
   LIMIT 1`;

/** Matching of acquisition events (stable studies, MPPS) to requests, and the coordinator's list of what matched nothing. */
@Injectable()
export class AcquisitionStore {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  async study(studyUid: string): Promise<StudySummary | null> {
    const s = await this.catalog.study(studyUid);
    if (!s) return null;
    const p = s.patient;
    return {
      studyUid: s.studyUid,
      accessionNumber: s.accessionNumber,
      sourceAe: s.sourceAe,
      studyDate: s.studyDate,
      referringPhysician: s.referringPhysician,
      patientId: p.patientId,
      issuer: p.issuer,
      patientName: p.name,
      birthDate: p.birthDate,
      sex: p.sex,
      ins: p.ins,
    };
  }

  async matchStudy(study: StudySummary): Promise<MatchedRequest | null> {
    const [row] = await this.ds.query(MATCH, [study.studyUid, study.accessionNumber ?? '']);
    return row ?? null;
  }

  /** Records the MPPS's request when it has one; an unmatched MPPS stays `matched = false` and listed. */
  async matchMpps(sopInstanceUid: string): Promise<{ mpps: MppsSummary; request: MatchedRequest | null } | null> {
    return this.ds.transaction(async (m) => {
      const [mpps] = await m.query(
        `SELECT sop_instance_uid AS "sopInstanceUid", status, accession_number AS "accessionNumber", study_instance_uid AS "studyInstanceUid", updated_at AS "updatedAt"
           FROM mpps WHERE sop_instance_uid = $1 FOR UPDATE`,
        [sopInstanceUid],
      );
      if (!mpps) return null;
      const [request] = await m.query(MATCH, [mpps.studyInstanceUid ?? '', mpps.accessionNumber ?? '']);
      if (request) await m.query('UPDATE mpps SET request_id = $2, matched = true WHERE sop_instance_uid = $1', [sopInstanceUid, request.requestId]);
      return { mpps: { ...mpps, updatedAt: new Date(mpps.updatedAt).toISOString() }, request: request ?? null };
    });
  }

  /** Idempotent: a study seen again stays one row with its first sighting. */
  async recordUnmatchedStudy(s: StudySummary): Promise<void> {
    await this.ds.query(
      `INSERT INTO unmatched_study (study_uid, accession_number, patient_id, patient_name, study_date, source_ae) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (study_uid) DO NOTHING`,
      [s.studyUid, s.accessionNumber, s.patientId, s.patientName, s.studyDate, s.sourceAe],
    );
  }

  /** @returns false when the study is not (or no longer) waiting in the unmatched list. */
  async resolveUnmatched(studyUid: string, resolution: 'attached' | 'registered-unscheduled' | 'dismissed', by: string, requestId: string | null): Promise<boolean> {
    const [, n]: [unknown[], number] = await this.ds.query(
      `UPDATE unmatched_study SET resolution = $2, resolved_by = $3, resolved_at = now(), request_id = $4 WHERE study_uid = $1 AND resolution IS NULL`,
      [studyUid, resolution, by, requestId],
    );
    return n > 0;
  }

  async isUnmatched(studyUid: string): Promise<boolean> {
    const rows = await this.ds.query('SELECT 1 FROM unmatched_study WHERE study_uid = $1 AND resolution IS NULL', [studyUid]);
    return rows.length > 0;
  }

  async listUnmatched(limit: number, offset: number): Promise<UnmatchedView> {
    const studies = await this.ds.query(
      `SELECT study_uid AS "studyUid", accession_number AS "accessionNumber", source_ae AS "sourceAe", study_date AS "studyDate",
              patient_id AS "patientId", patient_name AS "patientName", first_seen AS "firstSeen"
         FROM unmatched_study WHERE resolution IS NULL ORDER BY first_seen DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const mpps = await this.ds.query(
      `SELECT sop_instance_uid AS "sopInstanceUid", status, accession_number AS "accessionNumber", study_instance_uid AS "studyInstanceUid",
              calling_ae AS "callingAe", updated_at AS "updatedAt"
         FROM mpps WHERE NOT matched ORDER BY updated_at DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const isoAt = <T extends Record<string, unknown>>(r: T, k: keyof T) => ({ ...r, [k]: new Date(r[k] as Date).toISOString() });
    return { studies: studies.map((r: Record<string, unknown>) => isoAt(r, 'firstSeen')), mpps: mpps.map((r: Record<string, unknown>) => isoAt(r, 'updatedAt')) };
  }
}
