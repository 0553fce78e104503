import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AlertCandidate } from './threshold-evaluator';

export interface OpenAlert {
  readonly id: string;
  readonly workflowId: string;
  readonly candidate: AlertCandidate;
  readonly patientFk: string;
  readonly examId: string;
  readonly site: string | null;
}

export interface AlertFilter {
  readonly state?: string;
  readonly site?: string;
  readonly limit: number;
  readonly offset: number;
}

const ALERT_COLUMNS = `a.id, a.rule_id AS "ruleId", a.scope, a.quantity, a.value, a.threshold, a.unit, a.site, a.state,
  a.workflow_id AS "workflowId", a.review, a.follow_up AS "followUp", a.reminders, a.opened_at AS "openedAt",
  a.updated_at AS "updatedAt", a.closed_at AS "closedAt", a.event_key AS "eventKey", e.study_uid AS "studyUid",
  p.patient_id AS "patientId", p.issuer, p.ins`;

/** The PostgreSQL mirror of dose alerts and their append-only audit trail. */
@Injectable()
export class DoseAlertStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Inserts the alert unless it exists; true when this call created it. */
  async open(a: OpenAlert): Promise<boolean> {
    const rows = await this.ds.query(
      `INSERT INTO dose_alert (id, rule_id, scope, patient_fk, exam_fk, event_key, quantity, value, threshold, unit, site, workflow_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        a.id,
        a.candidate.ruleId,
        a.candidate.scope,
        a.patientFk,
        a.examId,
        a.candidate.eventKey,
        a.candidate.quantity,
        a.candidate.value,
        a.candidate.threshold,
        a.candidate.unit,
        a.site,
        a.workflowId,
      ],
    );
    return rows.length > 0;
  }

  /** A patient-scope alert of this rule already opened inside the window (other than `exceptId`). */
  async hasRecentPatientAlert(ruleId: string, patientFk: string, windowDays: number, exceptId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM dose_alert WHERE rule_id = $1 AND patient_fk = $2 AND id <> $4 AND opened_at > now() - make_interval(days => $3) LIMIT 1`, [
      ruleId,
      patientFk,
      windowDays,
      exceptId,
    ]);
    return rows.length > 0;
  }

  /** The patient's sum of a dose_exam column over the window that ends at `at`. */
  async cumulative(patientFk: string, column: string, windowDays: number, at: string): Promise<number> {
    const rows = await this.ds.query(
      `SELECT coalesce(sum(${column}), 0) AS total FROM dose_exam
        WHERE patient_fk = $1 AND performed_at > $2::timestamptz - make_interval(days => $3) AND performed_at <= $2::timestamptz`,
      [patientFk, at, windowDays],
    );
    return Number(rows[0].total);
  }

  /**
   * Records one transition. The idempotency key (run id + activity id) makes a retried activity
   * write its audit row once; the mirror columns are set to the same values again, harmlessly.
   */
  async transition(alertId: string, idempotencyKey: string, state: string, action: string, actor: string | null, detail: unknown): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const inserted = await m.query(
        `INSERT INTO dose_alert_audit (alert_id, idempotency_key, actor, action, detail) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [alertId, idempotencyKey, actor, action, detail === null ? null : JSON.stringify(detail)],
      );
      await m.query(
        `UPDATE dose_alert SET state = $2, updated_at = now(),
            review = CASE WHEN $3 = 'reviewed' THEN $4::jsonb ELSE review END,
            follow_up = CASE WHEN $3 = 'followed-up' THEN $4::jsonb ELSE follow_up END,
            reminders = reminders + CASE WHEN $3 = 'reminder' AND $5 THEN 1 ELSE 0 END,
            closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, now()) ELSE closed_at END
          WHERE id = $1`,
        [alertId, state, action, detail === null ? null : JSON.stringify(detail), inserted.length > 0],
      );
      return inserted.length > 0;
    });
  }

  async list(f: AlertFilter): Promise<Record<string, unknown>[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (f.state) where.push(`a.state = $${values.push(f.state)}`);
    if (f.site) where.push(`a.site = $${values.push(f.site)}`);
    values.push(f.limit, f.offset);
    return this.ds.query(
      `SELECT ${ALERT_COLUMNS} FROM dose_alert a JOIN patient p ON p.id = a.patient_fk LEFT JOIN dose_exam e ON e.id = a.exam_fk
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.opened_at DESC, a.id LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
  }

  async get(id: string): Promise<Record<string, unknown> | null> {
    const rows = await this.ds.query(`SELECT ${ALERT_COLUMNS} FROM dose_alert a JOIN patient p ON p.id = a.patient_fk LEFT JOIN dose_exam e ON e.id = a.exam_fk WHERE a.id = $1`, [id]);
    if (!rows.length) return null;
    const audit = await this.ds.query(`SELECT at, actor, action, detail FROM dose_alert_audit WHERE alert_id = $1 ORDER BY at, id`, [id]);
    return { ...rows[0], audit };
  }
}
