import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PathwayState } from './pathway-state';
import { accessionNumberFor, newStudyInstanceUid } from './request-identifiers';
import { RequestNotFoundError } from './request-errors';

/** How many salted derivations are tried before an accession number collision is treated as a bug. */
const ACCESSION_ATTEMPTS = 10;

export interface ScheduleRecord {
  readonly requestId: string;
  /** Retries of one activity share this key: the timeline gets the event once. */
  readonly idemKey: string;
  readonly site: string;
  readonly aeTitle: string;
  readonly scheduledAt: string;
  readonly by: string;
}

/**
 * The pathway's PostgreSQL mirror, written only by the pathway activities: every method is one
 * transaction and idempotent, because Temporal retries an activity whose answer it did not get.
 */
@Injectable()
export class PathwayStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async recordStep(requestId: string, idemKey: string, state: PathwayState, step: string, actor: string | null, detail: unknown): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.transition(m, requestId, idemKey, state, step, actor, detail);
    });
  }

  /**
   * Allocates the accession number and Study Instance UID (kept if already allocated, so a retry
   * or a reschedule never changes them), records the slot and publishes the worklist item.
   */
  async schedule(r: ScheduleRecord): Promise<{ accessionNumber: string; studyInstanceUid: string }> {
    return this.ds.transaction(async (m) => {
      const [req] = await m.query(
        `SELECT accession_number, study_instance_uid, patient, procedure_code, procedure_label, modality, priority
           FROM exam_request WHERE id = $1 FOR UPDATE`,
        [r.requestId],
      );
      if (!req) throw new RequestNotFoundError(r.requestId);
      const accessionNumber: string = req.accession_number ?? (await this.freeAccessionNumber(m, r.requestId));
      const studyInstanceUid: string = req.study_instance_uid ?? newStudyInstanceUid();
      await m.query(
        `UPDATE exam_request SET accession_number = $2, study_instance_uid = $3, scheduled_site = $4, scheduled_ae_title = $5, scheduled_at = $6
          WHERE id = $1`,
        [r.requestId, accessionNumber, studyInstanceUid, r.site, r.aeTitle, r.scheduledAt],
      );
      // IHE SWF: one Requested Procedure (id = accession number) with one Scheduled Procedure Step.
      await m.query(
        `INSERT INTO worklist_item (request_id, accession_number, study_instance_uid, requested_procedure_id, sps_id, site, ae_title,
           modality, scheduled_at, procedure_code, procedure_label, patient, priority)
         VALUES ($1, $2, $3, $2, $2 || '-1', $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (request_id) DO UPDATE SET site = EXCLUDED.site, ae_title = EXCLUDED.ae_title, scheduled_at = EXCLUDED.scheduled_at,
           updated_at = now()`,
        [r.requestId, accessionNumber, studyInstanceUid, r.site, r.aeTitle, req.modality, r.scheduledAt, req.procedure_code, req.procedure_label, JSON.stringify(req.patient), req.priority],
      );
      await this.transition(m, r.requestId, r.idemKey, PathwayState.Scheduled, 'scheduled', r.by, {
        site: r.site, aeTitle: r.aeTitle, scheduledAt: r.scheduledAt, accessionNumber, studyInstanceUid,
      });
      return { accessionNumber, studyInstanceUid };
    });
  }

  /** Removes the worklist item (the modality must no longer see the exam) and marks the request cancelled. */
  async cancel(requestId: string, idemKey: string, by: string | null, reason: string | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      // TypeORM answers [rows, rowCount] for UPDATE and DELETE on PostgreSQL.
      const [, removed]: [unknown[], number] = await m.query('DELETE FROM worklist_item WHERE request_id = $1', [requestId]);
      await this.transition(m, requestId, idemKey, PathwayState.Cancelled, 'cancelled', by, { reason, worklistItemRemoved: removed > 0 });
    });
  }

  private async transition(m: EntityManager, requestId: string, idemKey: string, state: PathwayState, step: string, actor: string | null, detail: unknown): Promise<void> {
    const [, updated]: [unknown[], number] = await m.query('UPDATE exam_request SET state = $2, updated_at = now() WHERE id = $1', [requestId, state]);
    if (updated === 0) throw new RequestNotFoundError(requestId);
    await m.query(
      `INSERT INTO pathway_event (request_id, idem_key, step, state, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (idem_key) DO NOTHING`,
      [requestId, idemKey, step, state, actor, detail === undefined ? null : JSON.stringify(detail)],
    );
  }

  private async freeAccessionNumber(m: EntityManager, requestId: string): Promise<string> {
    for (let attempt = 0; attempt < ACCESSION_ATTEMPTS; attempt++) {
      const candidate = accessionNumberFor(requestId, attempt);
      const [taken] = await m.query('SELECT 1 FROM exam_request WHERE accession_number = $1', [candidate]);
      if (!taken) return candidate;
    }
    throw new Error(`no free accession number for request ${requestId} after ${ACCESSION_ATTEMPTS} attempts`);
  }
}
