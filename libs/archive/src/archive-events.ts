import type { DataSource, EntityManager } from 'typeorm';
import { appendAuditRecords, AuditDoor } from '@krypton/audit';

/** Lifecycle steps written to the audit trail, as the action `archive-<step>` on the study. */
export type ArchiveStep = 'tiered' | 'recalled' | 'deleted' | 'deletion-refused-hold' | 'hold-set' | 'hold-cleared';

export interface ArchiveEvent {
  /** The record's sequence number in the audit trail. */
  readonly id: number;
  readonly step: ArchiveStep;
  readonly actor: string;
  readonly detail: Record<string, unknown>;
  readonly at: string;
}

const ACTION_PREFIX = 'archive-';

/** A hold is set or cleared by an administrator through the API; every other step by the study's workflow. */
const doorOf = (step: ArchiveStep): AuditDoor => (step === 'hold-set' || step === 'hold-cleared' ? 'REST' : 'workflow');

/**
 * Writes a lifecycle step to the hub's audit trail (libs/audit: append-only, hash-chained,
 * checked by `krypton audit verify`), in the caller's transaction so that the step and its record
 * commit together. The record names the study's patient (INS, else issuer|Patient ID, as the
 * doors do), so a recall or a deletion shows in the patient's access log. Call it before a step
 * that deletes the study's catalogue rows.
 */
export async function recordArchiveEvent(db: DataSource | EntityManager, studyUid: string, step: ArchiveStep, actor: string, detail: Record<string, unknown> = {}): Promise<void> {
  const [p]: { patient: string }[] = await db.query(`SELECT coalesce(p.ins, p.issuer || '|' || p.patient_id) AS patient FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = $1`, [
    studyUid,
  ]);
  await appendAuditRecords(
    (text, values) => db.query(text, values),
    [
      {
        userId: actor,
        roles: [],
        site: null,
        action: `${ACTION_PREFIX}${step}`,
        outcome: step === 'deletion-refused-hold' ? 'denied' : 'allowed',
        door: doorOf(step),
        resourceType: 'study',
        resourceId: studyUid,
        patients: p ? [p.patient] : [],
        studies: [studyUid],
        detail,
      },
    ],
  );
}

/** The study's lifecycle steps, oldest first. Records copied from the old `archive_event` table keep their time in `detail.recordedAt`. */
export async function archiveEvents(db: DataSource, studyUid: string): Promise<ArchiveEvent[]> {
  const rows = await db.query(`SELECT seq, action, user_id, detail, at FROM audit_event WHERE resource_type = 'study' AND resource_id = $1 AND action LIKE '${ACTION_PREFIX}%' ORDER BY seq`, [
    studyUid,
  ]);
  return rows.map((r: { seq: string; action: string; user_id: string; detail: Record<string, unknown> | null; at: Date }) => {
    const { recordedAt, copiedFrom: _copiedFrom, ...detail } = r.detail ?? {};
    return {
      id: Number(r.seq),
      step: r.action.slice(ACTION_PREFIX.length) as ArchiveStep,
      actor: r.user_id,
      detail,
      at: typeof recordedAt === 'string' ? new Date(recordedAt).toISOString() : r.at.toISOString(),
    };
  });
}
