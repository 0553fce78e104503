import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type ForwardState = 'running' | 'waiting-for-destination' | 'completed' | 'completed-with-failures' | 'failed' | 'cancelled';

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
  readonly refused: { sopInstanceUid: string; status: number | null; detail: string | null }[];
}

/** The forwarding mirror: what was sent where, written by activities, read by the API. */
@Injectable()
export class ForwardJobService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async open(id: string, studyUid: string, destination: string, requestedBy: string | null, total: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO forward_job (id, study_uid, destination, requested_by, state, total)
       VALUES ($1, $2, $3, $4, 'running', $5)
       ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total, updated_at = now()`,
      [id, studyUid, destination, requestedBy, total],
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
              last_error AS "lastError", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM forward_job WHERE id = $1`,
      [id],
    );
    if (!rows.length) return null;
    const refused = await this.ds.query(
      `SELECT sop_instance_uid AS "sopInstanceUid", status, detail FROM forward_item WHERE job_id = $1 AND outcome = 'refused' ORDER BY at`,
      [id],
    );
    return { ...rows[0], createdAt: new Date(rows[0].createdAt).toISOString(), updatedAt: new Date(rows[0].updatedAt).toISOString(), refused };
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
