import type { DataSource, EntityManager } from 'typeorm';

/** Lifecycle steps written to the archive's audit trail. */
export type ArchiveStep = 'tiered' | 'recalled' | 'deleted' | 'deletion-refused-hold' | 'hold-set' | 'hold-cleared';

export interface ArchiveEvent {
  readonly id: number;
  readonly step: ArchiveStep;
  readonly actor: string;
  readonly detail: Record<string, unknown>;
  readonly at: string;
}

/**
 * The audit trail of the lifecycle (table `archive_event`, insert only). The hub-wide audit
 * library of issue #10 was not on main when this was written; when it lands, `record` is the one
 * place to route through it.
 */
export async function recordArchiveEvent(db: DataSource | EntityManager, studyUid: string, step: ArchiveStep, actor: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query('INSERT INTO archive_event (study_uid, step, actor, detail) VALUES ($1, $2, $3, $4)', [studyUid, step, actor, JSON.stringify(detail)]);
}

export async function archiveEvents(db: DataSource, studyUid: string): Promise<ArchiveEvent[]> {
  const rows = await db.query('SELECT id, step, actor, detail, at FROM archive_event WHERE study_uid = $1 ORDER BY id', [studyUid]);
  return rows.map((r: { id: string; step: ArchiveStep; actor: string; detail: Record<string, unknown>; at: Date }) => ({
    id: Number(r.id),
    step: r.step,
    actor: r.actor,
    detail: r.detail,
    at: r.at.toISOString(),
  }));
}
