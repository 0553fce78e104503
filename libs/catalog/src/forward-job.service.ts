import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type ForwardState =
  'running' | 'waiting-for-destination' | 'awaiting-commitment' | 'waiting-for-operator' | 'completed' | 'completed-with-failures' | 'failed' | 'skipped' | 'rerouted' | 'cancelled';

/** The protocol (version and rule) that started a routing; null for a manual send. */
export interface ForwardOrigin {
  readonly protocolId: string;
  readonly version: number;
  readonly rule: string;
}

export interface ForwardItemOutcome {
  readonly sopInstanceUid: string;
  readonly outcome: 'sent' | 'refused';
  readonly status: number | null;
  readonly detail: string | null;
}

/** A job's instances: all of the study's, those the destination took, refused, and still to send. */
export interface ForwardJobCounts {
  readonly total: number;
  readonly sent: number;
  readonly refused: number;
  readonly remaining: number;
}

export interface ForwardJobView {
  readonly id: string;
  readonly studyUid: string;
  readonly destination: string;
  readonly requestedBy: string | null;
  readonly state: ForwardState;
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly origin: ForwardOrigin | null;
  readonly refused: { sopInstanceUid: string; status: number | null; detail: string | null }[];
}

/** The forwarding mirror: what was sent where, written by activities, read by the API. */
@Injectable()
export class ForwardJobService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Opens (or reopens, for late instances) a job over the study's instances as they are now, and
   * counts what is left to send, in one statement: it runs on the routing's clock before the first
   * batch. Null, and no job, when the catalogue holds no instance of the study.
   */
  async open(id: string, studyUid: string, destination: string, requestedBy: string | null, origin: ForwardOrigin | null = null): Promise<ForwardJobCounts | null> {
    const [row] = await this.ds.query(
      `WITH inst AS (
         SELECT i.sop_instance_uid FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk WHERE st.study_uid = $2
       ), total AS (SELECT count(*)::int AS n FROM inst),
       opened AS (
         INSERT INTO forward_job (id, study_uid, destination, requested_by, state, total, protocol_id, protocol_version, protocol_rule)
         SELECT $1, $2, $3, $4, 'running', total.n, $5, $6, $7 FROM total WHERE total.n > 0
         ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total, state = 'running', updated_at = now(),
           protocol_version = coalesce(EXCLUDED.protocol_version, forward_job.protocol_version)
         RETURNING id
       ), items AS (SELECT sop_instance_uid, outcome FROM forward_item WHERE job_id = $1)
       SELECT (SELECT n FROM total) AS total,
              (SELECT count(*)::int FROM items WHERE outcome = 'sent') AS sent,
              (SELECT count(*)::int FROM items WHERE outcome = 'refused') AS refused,
              (SELECT count(*)::int FROM inst WHERE sop_instance_uid NOT IN (SELECT sop_instance_uid FROM items)) AS remaining,
              (SELECT count(*)::int FROM opened) AS opened`,
      [id, studyUid, destination, requestedBy, origin?.protocolId ?? null, origin?.version ?? null, origin?.rule ?? null],
    );
    if (!row.opened) return null;
    return { total: row.total, sent: row.sent, refused: row.refused, remaining: row.remaining };
  }

  /**
   * A routing that was decided and not carried out (the patient objects to sharing): recorded as
   * `skipped` with the reason, so the study's forwards show it like any other. Once per job id.
   */
  async withhold(id: string, studyUid: string, destination: string, requestedBy: string | null, origin: ForwardOrigin | null, reason: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO forward_job (id, study_uid, destination, requested_by, state, total, last_error, protocol_id, protocol_version, protocol_rule)
       VALUES ($1, $2, $3, $4, 'skipped', 0, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [id, studyUid, destination, requestedBy, reason, origin?.protocolId ?? null, origin?.version ?? null, origin?.rule ?? null],
    );
  }

  /** Instances that already reached the destination or were refused for good: never sent again. */
  async settled(id: string): Promise<Set<string>> {
    const rows = await this.ds.query('SELECT sop_instance_uid FROM forward_item WHERE job_id = $1', [id]);
    return new Set(rows.map((r: { sop_instance_uid: string }) => r.sop_instance_uid));
  }

  async record(id: string, sopInstanceUid: string, outcome: 'sent' | 'refused', status: number | null, detail: string | null): Promise<void> {
    await this.ds.query(
      `INSERT INTO forward_item (job_id, sop_instance_uid, outcome, status, detail) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (job_id, sop_instance_uid) DO NOTHING`,
      [id, sopInstanceUid, outcome, status, detail],
    );
  }

  /** Several answers in one statement: one WAL flush for a run of instances instead of one each. */
  async recordMany(id: string, items: readonly ForwardItemOutcome[]): Promise<void> {
    if (!items.length) return;
    await this.ds.query(
      `INSERT INTO forward_item (job_id, sop_instance_uid, outcome, status, detail)
       SELECT $1, x.uid, x.outcome, x.status, x.detail
         FROM jsonb_to_recordset($2::jsonb) AS x(uid text, outcome text, status integer, detail text)
       ON CONFLICT (job_id, sop_instance_uid) DO NOTHING`,
      [id, JSON.stringify(items.map((i) => ({ uid: i.sopInstanceUid, outcome: i.outcome, status: i.status, detail: i.detail })))],
    );
  }

  /** An operator's retry: refused instances (and those whose commitment failed) are sent again. */
  async forgetRefused(id: string): Promise<void> {
    await this.ds.query(`DELETE FROM forward_item WHERE job_id = $1 AND outcome = 'refused'`, [id]);
  }

  /** The instances a destination acknowledged for a job, with their SOP class, for a commitment request. */
  async sentReferences(id: string): Promise<{ sopClassUid: string; sopInstanceUid: string }[]> {
    return this.ds.query(
      `SELECT i.sop_class_uid AS "sopClassUid", f.sop_instance_uid AS "sopInstanceUid"
         FROM forward_item f JOIN instance i ON i.sop_instance_uid = f.sop_instance_uid
        WHERE f.job_id = $1 AND f.outcome = 'sent' ORDER BY f.sop_instance_uid`,
      [id],
    );
  }

  /** Recomputes counters from the items, so a retried activity cannot count twice. */
  async update(id: string, state: ForwardState, lastError: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE forward_job SET state = $2, last_error = $3, updated_at = now(),
         sent = (SELECT count(*) FROM forward_item WHERE job_id = $1 AND outcome = 'sent'),
         failed = (SELECT count(*) FROM forward_item WHERE job_id = $1 AND outcome = 'refused')
       WHERE id = $1`,
      [id, state, lastError],
    );
  }

  async get(id: string): Promise<ForwardJobView | null> {
    const rows = await this.ds.query(
      `SELECT id, study_uid AS "studyUid", destination, requested_by AS "requestedBy", state, total, sent, failed,
              last_error AS "lastError", created_at AS "createdAt", updated_at AS "updatedAt",
              protocol_id AS "protocolId", protocol_version AS "protocolVersion", protocol_rule AS "protocolRule"
         FROM forward_job WHERE id = $1`,
      [id],
    );
    if (!rows.length) return null;
    const refused = await this.ds.query(`SELECT sop_instance_uid AS "sopInstanceUid", status, detail FROM forward_item WHERE job_id = $1 AND outcome = 'refused' ORDER BY at`, [id]);
    const { protocolId, protocolVersion, protocolRule, ...job } = rows[0];
    const origin = protocolId ? { protocolId, version: protocolVersion, rule: protocolRule } : null;
    return { ...job, createdAt: new Date(job.createdAt).toISOString(), updatedAt: new Date(job.updatedAt).toISOString(), origin, refused };
  }

  /**
   * What waits for a destination and why: every routing not finished, oldest first, with its state
   * (running, waiting-for-destination with the last error, waiting-for-operator, awaiting-commitment).
   */
  async queue(destination: string, limit = 500): Promise<ForwardJobView[]> {
    const rows = await this.ds.query(
      `SELECT id FROM forward_job WHERE destination = $1 AND state NOT IN ('completed', 'completed-with-failures', 'cancelled', 'skipped', 'rerouted', 'failed')
        ORDER BY created_at LIMIT $2`,
      [destination, limit],
    );
    const out: ForwardJobView[] = [];
    for (const r of rows) {
      const v = await this.get(r.id);
      if (v) out.push(v);
    }
    return out;
  }

  async listForStudy(studyUid: string): Promise<ForwardJobView[]> {
    const rows = await this.ds.query('SELECT id FROM forward_job WHERE study_uid = $1 ORDER BY created_at DESC', [studyUid]);
    const out: ForwardJobView[] = [];
    for (const r of rows) {
      const v = await this.get(r.id);
      if (v) out.push(v);
    }
    return out;
  }
}

/**
 * Instances a destination could not commit become refused items of their job (with the failure
 * reason), so that an operator's retry sends them again. Called by libs/routing's
 * StorageCommitmentStore inside the transaction `m` that files the destination's report.
 */
export async function refuseUncommittedItems(m: EntityManager, jobId: string, failed: readonly { sopInstanceUid: string; reason: number | null }[]): Promise<void> {
  if (!failed.length) return;
  await m.query(
    `UPDATE forward_item SET outcome = 'refused', status = x.reason, detail = 'storage commitment failed'
       FROM jsonb_to_recordset($2::jsonb) AS x(uid text, reason integer)
      WHERE job_id = $1 AND sop_instance_uid = x.uid`,
    [jobId, JSON.stringify(failed.map((f) => ({ uid: f.sopInstanceUid, reason: f.reason })))],
  );
}
