import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AccessGrant, DosePatientFacts, ExamFacts, GrantRights } from './exam-facts';
import type { AccessPolicy } from './access-policy';

interface FactsRow {
  found_study: boolean;
  found_request: boolean;
  study_uid: string | null;
  patient_ins: string | null;
  patient_key: string | null;
  source_aes: string[] | null;
  origin_sites: string[] | null;
  request_ids: string[] | null;
  request_sites: string[] | null;
  rpps: string[] | null;
  creators: string[] | null;
  request_ins: string[] | null;
  task_pools: string[] | null;
  readers: string[] | null;
  prior_pools: string[] | null;
  grants: { grantee: string; kind: string; reason: string; expires_at: string | null; rights: GrantRights | null }[] | null;
}

/**
 * One round trip for everything the decision needs about an exam, named by its Study Instance
 * UID or by a request id (or both): the catalogue study and patient, the requests that name the
 * study, their reading tasks, the pools holding tasks for the patient's other exams, and grants.
 */
const FACTS_SQL = `
  WITH rq AS (
    SELECT x.* FROM exam_request_study x WHERE x.study_uid = ANY($1::text[]) OR x.request_id = ANY($2::uuid[])
    UNION
    SELECT r.id, NULL, coalesce(r.scheduled_site, r.target_site), r.referrer->>'rpps', r.created_by, r.patient_ins
      FROM exam_request r WHERE r.id = ANY($2::uuid[]) AND r.study_instance_uid IS NULL AND r.acquired_study_uid IS NULL
  ),
  uids AS (SELECT unnest($1::text[]) AS uid UNION SELECT study_uid FROM rq WHERE study_uid IS NOT NULL),
  st AS (SELECT s.study_uid, s.patient_fk, s.source_ae, p.ins, p.issuer || '|' || p.patient_id AS pkey
           FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid IN (SELECT uid FROM uids))
  SELECT EXISTS (SELECT 1 FROM st) AS found_study,
         EXISTS (SELECT 1 FROM rq) AS found_request,
         (SELECT min(study_uid) FROM st) AS study_uid,
         (SELECT min(ins) FROM st) AS patient_ins,
         (SELECT min(pkey) FROM st) AS patient_key,
         (SELECT array_agg(DISTINCT source_ae) FROM st WHERE source_ae IS NOT NULL) AS source_aes,
         (SELECT array_agg(DISTINCT o.site) FROM study_origin o WHERE o.study_uid IN (SELECT uid FROM uids)) AS origin_sites,
         (SELECT array_agg(DISTINCT request_id::text) FROM rq) AS request_ids,
         (SELECT array_agg(DISTINCT site) FROM rq WHERE site IS NOT NULL) AS request_sites,
         (SELECT array_agg(DISTINCT rpps) FROM rq WHERE rpps IS NOT NULL) AS rpps,
         (SELECT array_agg(DISTINCT created_by) FROM rq WHERE created_by IS NOT NULL) AS creators,
         (SELECT array_agg(DISTINCT patient_ins) FROM rq WHERE patient_ins IS NOT NULL) AS request_ins,
         (SELECT array_agg(DISTINCT t.pool) FROM reading_task t WHERE t.request_id IN (SELECT request_id FROM rq) AND t.state IN ('open', 'claimed')) AS task_pools,
         (SELECT array_agg(DISTINCT u) FROM reading_task t CROSS JOIN LATERAL unnest(ARRAY[t.claimed_by, t.signed_by]) u
           WHERE t.request_id IN (SELECT request_id FROM rq) AND u IS NOT NULL) AS readers,
         (SELECT array_agg(DISTINCT t.pool) FROM reading_task t JOIN exam_request_study x ON x.request_id = t.request_id
            JOIN study s2 ON s2.study_uid = x.study_uid
           WHERE s2.patient_fk IN (SELECT patient_fk FROM st) AND t.state IN ('open', 'claimed')) AS prior_pools,
         (SELECT json_agg(json_build_object('grantee', g.grantee, 'kind', g.kind, 'reason', g.reason, 'expires_at', g.expires_at, 'rights', g.rights))
            FROM (SELECT grantee, kind, reason, expires_at, rights FROM study_grant WHERE study_uid IN (SELECT uid FROM uids)
                  UNION ALL SELECT e.grantee, 'exam', e.reason, NULL, NULL FROM exam_access_grant e WHERE e.request_id IN (SELECT request_id FROM rq)) g) AS grants`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ExamFactsStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The exam's facts, or null when neither the study nor the request exists. */
  async exam(policy: AccessPolicy, ref: { studyUid?: string | null; requestId?: string | null }): Promise<ExamFacts | null> {
    const uids = ref.studyUid ? [ref.studyUid] : [];
    const rids = ref.requestId && UUID.test(ref.requestId) ? [ref.requestId] : [];
    if (!uids.length && !rids.length) return null;
    const [r]: FactsRow[] = await this.ds.query(FACTS_SQL, [uids, rids]);
    if (!r || (!r.found_study && !r.found_request)) return null;
    const sites = new Set<string>([...(r.origin_sites ?? []), ...(r.request_sites ?? [])]);
    for (const ae of r.source_aes ?? []) {
      const site = policy.siteOfAe(ae);
      if (site) sites.add(site);
    }
    const grants: AccessGrant[] = (r.grants ?? []).map((g) => ({
      grantee: g.grantee,
      kind: g.kind,
      reason: g.reason,
      expiresAt: g.expires_at ? new Date(g.expires_at) : null,
      rights: g.rights ?? null,
    }));
    // Pathway grants are per request and the view repeats them per study: keep one of each.
    const unique = [...new Map(grants.map((g) => [`${g.grantee}\u0000${g.kind}\u0000${g.expiresAt?.getTime() ?? ''}\u0000${g.rights ?? ''}`, g])).values()];
    return {
      studyUid: r.study_uid ?? ref.studyUid ?? null,
      requestIds: r.request_ids ?? [],
      patientIns: r.patient_ins ?? r.request_ins?.[0] ?? null,
      patientKey: r.patient_key,
      sites: [...sites],
      taskPools: r.task_pools ?? [],
      priorPools: r.prior_pools ?? [],
      readers: r.readers ?? [],
      requesterRpps: r.rpps ?? [],
      creators: r.creators ?? [],
      grants: unique,
    };
  }

  /** A patient's dose facts by INS or `issuer|patientId`; null when the catalogue has no such patient. */
  async dosePatient(key: { ins?: string; issuer?: string; patientId?: string }): Promise<(DosePatientFacts & { patientFks: string[] }) | null> {
    const rows: { id: string; ins: string | null; pkey: string }[] = key.ins
      ? await this.ds.query(`SELECT id::text, ins, issuer || '|' || patient_id AS pkey FROM patient WHERE ins = $1`, [key.ins])
      : await this.ds.query(`SELECT id::text, ins, issuer || '|' || patient_id AS pkey FROM patient WHERE issuer = $1 AND patient_id = $2`, [key.issuer ?? '', key.patientId]);
    if (!rows.length) return null;
    const fks = rows.map((r) => r.id);
    const [d]: { sites: string[] | null; uids: string[] | null }[] = await this.ds.query(
      `SELECT array_agg(DISTINCT site) FILTER (WHERE site IS NOT NULL) AS sites, array_agg(DISTINCT study_uid) AS uids FROM dose_exam WHERE patient_fk = ANY($1::bigint[])`,
      [fks],
    );
    return { patientIns: rows.find((r) => r.ins)?.ins ?? key.ins ?? null, patientKey: rows[0].pkey, sites: d?.sites ?? [], studyUids: d?.uids ?? [], patientFks: fks };
  }

  /** Whether any study of these patients passes a search condition (the `exams` dose scope). */
  async anyStudyOfPatients(patientFks: readonly string[], condition: { sql: string; params: readonly unknown[] } | 'all' | 'none'): Promise<boolean> {
    if (condition === 'none' || !patientFks.length) return false;
    if (condition === 'all') return true;
    const values: unknown[] = [patientFks];
    const sql = condition.sql.replace(/\$/g, () => `$${values.push(condition.params[values.length - 1])}`);
    const rows = await this.ds.query(`SELECT 1 FROM study st WHERE st.patient_fk = ANY($1::bigint[]) AND ${sql} LIMIT 1`, values);
    return rows.length > 0;
  }
}
