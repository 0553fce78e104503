import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestPriority } from './new-request';
import { PathwayState } from './pathway-state';
import type { Procedure } from './procedure-catalogue';
import { accessionNumberFor, newStudyInstanceUid } from './request-identifiers';
import { RequestNotFoundError } from './request-errors';

/** How many salted derivations are tried before an accession number collision is treated as a bug. */
const ACCESSION_ATTEMPTS = 10;

export interface ReadingTaskTimes {
  readonly pool: string;
  readonly openedAt: string;
  readonly warnAt: string;
  readonly dueAt: string;
}

export interface ChangeRecord {
  readonly requestId: string;
  readonly idemKey: string;
  readonly by: string;
  readonly priority?: RequestPriority;
  /** A catalogue entry, or an unknown code to flag. */
  readonly procedure?: Procedure | { readonly code: string; readonly unmapped: true };
  readonly clinicalInformation?: string;
  /** The reading deadline of a priority for a task opened at `openedAt` (the configuration's SLA). */
  readonly deadline: (priority: RequestPriority, openedAt: Date) => { warnAt: string; dueAt: string };
}

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

  /** A step with no side effect beyond the mirror: state, attention, timeline entry. */
  async recordStep(requestId: string, idemKey: string, state: PathwayState, step: string, actor: string | null, detail: unknown, attention: string | null = null): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.transition(m, requestId, idemKey, state, step, actor, detail, attention);
    });
  }

  /**
   * A change of the order in flight, in one transaction: the request, its worklist item (what the
   * modality sees), and an open reading task's deadline when the priority changed. The timeline
   * entry keeps each field's value before and after.
   */
  async changeRequest(c: ChangeRecord): Promise<{ priority: RequestPriority; reading: { warnAt: string; dueAt: string } | null }> {
    return this.ds.transaction(async (m) => {
      const [req] = await m.query('SELECT priority, procedure_code, procedure_label, procedure_unmapped, modality, body_part, clinical_information FROM exam_request WHERE id = $1 FOR UPDATE', [
        c.requestId,
      ]);
      if (!req) throw new RequestNotFoundError(c.requestId);
      const p = c.procedure;
      const known = p && !('unmapped' in p) ? p : undefined;
      const next = {
        priority: c.priority ?? req.priority,
        procedure_code: p ? p.code : req.procedure_code,
        procedure_label: known ? known.label : p ? null : req.procedure_label,
        procedure_unmapped: p ? !known : req.procedure_unmapped,
        modality: known ? known.modality : p ? null : req.modality,
        body_part: known ? known.bodyPart : p ? null : req.body_part,
        clinical_information: c.clinicalInformation ?? req.clinical_information,
      };
      await m.query(
        `UPDATE exam_request SET priority = $2, procedure_code = $3, procedure_label = $4, procedure_unmapped = $5, modality = $6, body_part = $7,
           clinical_information = $8, updated_at = now() WHERE id = $1`,
        [c.requestId, next.priority, next.procedure_code, next.procedure_label, next.procedure_unmapped, next.modality, next.body_part, next.clinical_information],
      );
      await m.query(`UPDATE worklist_item SET priority = $2, procedure_code = $3, procedure_label = $4, modality = coalesce($5, modality), updated_at = now() WHERE request_id = $1`, [
        c.requestId,
        next.priority,
        next.procedure_code,
        next.procedure_label,
        next.modality,
      ]);
      let reading: { warnAt: string; dueAt: string } | null = null;
      const [task] = await m.query(`SELECT opened_at FROM reading_task WHERE request_id = $1 AND state IN ('open', 'claimed')`, [c.requestId]);
      if (task && next.priority !== req.priority) {
        reading = c.deadline(next.priority, new Date(task.opened_at));
        await m.query('UPDATE reading_task SET priority = $2, warn_at = $3, due_at = $4, updated_at = now() WHERE request_id = $1', [c.requestId, next.priority, reading.warnAt, reading.dueAt]);
        await m.query('UPDATE exam_request SET sla_due_at = $2 WHERE id = $1', [c.requestId, reading.dueAt]);
      }
      const changed = Object.fromEntries((Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== req[k]).map((k) => [k, { before: req[k], after: next[k] }]));
      await this.event(m, c.requestId, c.idemKey, 'changed', c.by, { changed, ...(reading ? { readingDueAt: reading.dueAt } : {}) });
      return { priority: next.priority, reading };
    });
  }

  /**
   * Acquisition done: the study is linked to the request, the worklist item is withdrawn (the
   * modality must not offer the exam again), and what went unusually is recorded as findings.
   */
  async completeAcquisition(requestId: string, idemKey: string, studyUid: string, mppsSopInstanceUid: string | null, findings: readonly string[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('UPDATE exam_request SET acquired_study_uid = $2 WHERE id = $1', [requestId, studyUid]);
      await this.identifyUnscheduled(m, requestId, studyUid);
      await m.query('DELETE FROM worklist_item WHERE request_id = $1', [requestId]);
      for (const kind of findings) await this.finding(m, requestId, kind, { studyUid });
      await this.transition(m, requestId, idemKey, PathwayState.AwaitingDose, 'acquisition-complete', null, { studyUid, mpps: mppsSopInstanceUid, findings }, null);
    });
  }

  /**
   * An exam registered from an unscheduled study was never scheduled: it takes the study's own
   * Study Instance UID, and its accession number when the study has one no other request uses
   * (otherwise one is allocated), so reports and results carry the numbers the images carry.
   */
  private async identifyUnscheduled(m: EntityManager, requestId: string, studyUid: string): Promise<void> {
    const [req] = await m.query('SELECT accession_number FROM exam_request WHERE id = $1 FOR UPDATE', [requestId]);
    if (!req || req.accession_number) return;
    const [study] = await m.query('SELECT accession_number FROM study WHERE study_uid = $1', [studyUid]);
    const own: string | null = study?.accession_number?.trim() || null;
    const taken = own ? (await m.query('SELECT 1 FROM exam_request WHERE accession_number = $1', [own])).length > 0 : true;
    const accession = own && !taken ? own : await this.freeAccessionNumber(m, requestId);
    await m.query('UPDATE exam_request SET accession_number = $2, study_instance_uid = coalesce(study_instance_uid, $3) WHERE id = $1', [requestId, accession, studyUid]);
  }

  /** Whether the dose registry holds dose data (RDSR or image header) for the study. */
  async hasDose(studyUid: string): Promise<boolean> {
    const rows = await this.ds.query('SELECT 1 FROM dose_exam WHERE study_uid = $1 LIMIT 1', [studyUid]);
    return rows.length > 0;
  }

  async recordFinding(requestId: string, idemKey: string, kind: string, detail: unknown): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.finding(m, requestId, kind, detail);
      await this.event(m, requestId, idemKey, `finding:${kind}`, null, detail);
    });
  }

  /** Opens the reading task (once: a retry finds the row and returns it unchanged). */
  async openReadingTask(t: { requestId: string; idemKey: string; pool: string; priority: string; openedAt: string; warnAt: string; dueAt: string }): Promise<ReadingTaskTimes> {
    return this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO reading_task (request_id, pool, priority, state, opened_at, warn_at, due_at) VALUES ($1, $2, $3, 'open', $4, $5, $6)
         ON CONFLICT (request_id) DO NOTHING`,
        [t.requestId, t.pool, t.priority, t.openedAt, t.warnAt, t.dueAt],
      );
      const [row] = await m.query('SELECT pool, opened_at, warn_at, due_at FROM reading_task WHERE request_id = $1', [t.requestId]);
      await m.query('UPDATE exam_request SET reading_pool = $2, sla_due_at = $3 WHERE id = $1', [t.requestId, row.pool, row.due_at]);
      await this.transition(m, t.requestId, t.idemKey, PathwayState.Reading, 'reading-opened', null, { pool: row.pool, dueAt: new Date(row.due_at).toISOString() }, null);
      return { pool: row.pool, openedAt: new Date(row.opened_at).toISOString(), warnAt: new Date(row.warn_at).toISOString(), dueAt: new Date(row.due_at).toISOString() };
    });
  }

  async claimReadingTask(requestId: string, idemKey: string, by: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE reading_task SET state = 'claimed', claimed_by = $2, claimed_at = now(), updated_at = now() WHERE request_id = $1`, [requestId, by]);
      await this.event(m, requestId, idemKey, 'reading-claimed', by, null);
    });
  }

  async releaseReadingTask(requestId: string, idemKey: string, by: string, holder: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE reading_task SET state = 'open', claimed_by = NULL, claimed_at = NULL, updated_at = now() WHERE request_id = $1`, [requestId]);
      await this.event(m, requestId, idemKey, 'reading-released', by, { holder });
    });
  }

  /**
   * The SLA warning (before the deadline) and the breach (escalation to the pool and the
   * coordinators: the request becomes `slaBreached` in their lists, with a finding and a timeline entry).
   */
  async recordSla(requestId: string, idemKey: string, kind: 'warning' | 'breach', detail: { pool: string; dueAt: string; claimedBy: string | null }): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (kind === 'warning') {
        await m.query('UPDATE reading_task SET warned_at = coalesce(warned_at, now()) WHERE request_id = $1', [requestId]);
      } else {
        await m.query('UPDATE reading_task SET breached_at = coalesce(breached_at, now()) WHERE request_id = $1', [requestId]);
        await m.query('UPDATE exam_request SET sla_breached = true, updated_at = now() WHERE id = $1', [requestId]);
        await this.finding(m, requestId, 'sla-breached', detail);
      }
      const notified = kind === 'warning' ? [detail.claimedBy ?? `pool:${detail.pool}`] : [`pool:${detail.pool}`, 'coordinators', ...(detail.claimedBy ? [detail.claimedBy] : [])];
      await this.event(m, requestId, idemKey, kind === 'warning' ? 'sla-warning' : 'sla-escalated', null, { ...detail, notified });
    });
  }

  /** The report is signed: the reading task is done and the exam is shared with its referrer and patient. */
  async markReported(requestId: string, idemKey: string, by: string, report: unknown, grantees: readonly { grantee: string; reason: string }[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE reading_task SET state = 'signed', signed_by = $2, signed_at = now(), updated_at = now() WHERE request_id = $1`, [requestId, by]);
      for (const g of grantees) {
        await m.query('INSERT INTO exam_access_grant (request_id, grantee, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [requestId, g.grantee, g.reason]);
      }
      await this.transition(m, requestId, idemKey, PathwayState.Reported, 'report-signed', by, report, null);
    });
  }

  async close(requestId: string, idemKey: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query('UPDATE exam_request SET closed_at = coalesce(closed_at, now()) WHERE id = $1', [requestId]);
      await this.transition(m, requestId, idemKey, PathwayState.Closed, 'closed', null, null, null);
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
      await this.transition(
        m,
        r.requestId,
        r.idemKey,
        PathwayState.Scheduled,
        'scheduled',
        r.by,
        {
          site: r.site,
          aeTitle: r.aeTitle,
          scheduledAt: r.scheduledAt,
          accessionNumber,
          studyInstanceUid,
        },
        null,
      );
      return { accessionNumber, studyInstanceUid };
    });
  }

  /** Removes the worklist item (the modality must no longer see the exam), withdraws the reading task, and marks the request cancelled. */
  async cancel(requestId: string, idemKey: string, by: string | null, reason: string | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      // TypeORM answers [rows, rowCount] for UPDATE and DELETE on PostgreSQL.
      const [, removed]: [unknown[], number] = await m.query('DELETE FROM worklist_item WHERE request_id = $1', [requestId]);
      await m.query(`UPDATE reading_task SET state = 'cancelled', updated_at = now() WHERE request_id = $1 AND state IN ('open', 'claimed')`, [requestId]);
      await this.transition(m, requestId, idemKey, PathwayState.Cancelled, 'cancelled', by, { reason, worklistItemRemoved: removed > 0 }, null);
    });
  }

  private async finding(m: EntityManager, requestId: string, kind: string, detail: unknown): Promise<void> {
    await m.query('INSERT INTO pathway_finding (request_id, kind, detail) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [requestId, kind, JSON.stringify(detail ?? null)]);
  }

  private async transition(m: EntityManager, requestId: string, idemKey: string, state: PathwayState, step: string, actor: string | null, detail: unknown, attention: string | null): Promise<void> {
    const [, updated]: [unknown[], number] = await m.query('UPDATE exam_request SET state = $2, attention = $3, updated_at = now() WHERE id = $1', [requestId, state, attention]);
    if (updated === 0) throw new RequestNotFoundError(requestId);
    await this.event(m, requestId, idemKey, step, actor, detail);
  }

  /** A timeline entry; `idem_key` makes a retried activity write it once. */
  private async event(m: EntityManager, requestId: string, idemKey: string, step: string, actor: string | null, detail: unknown): Promise<void> {
    await m.query(
      `INSERT INTO pathway_event (request_id, idem_key, step, state, actor, detail)
         SELECT $1, $2, $3, state, $4, $5 FROM exam_request WHERE id = $1
       ON CONFLICT (idem_key) DO NOTHING`,
      [requestId, idemKey, step, actor, detail === undefined || detail === null ? null : JSON.stringify(detail)],
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
