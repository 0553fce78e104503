import type { ReadingTaskView } from '@krypton/pathway';

/** What the worklist says about a deadline: the pathway's own warning and breach marks, or the clock. */
export type SlaState = 'on-time' | 'warning' | 'breached';

export interface WorklistRow {
  readonly requestId: string;
  readonly pool: string;
  readonly poolName: string;
  readonly priority: string;
  readonly procedure: string;
  readonly modality: string | null;
  readonly patient: string;
  readonly dueAt: string;
  /** Negative once the deadline has passed. */
  readonly minutesLeft: number;
  readonly sla: SlaState;
  readonly claimedBy: string | null;
  readonly mine: boolean;
  readonly canClaim: boolean;
  readonly canRelease: boolean;
  /** Only the holder writes the report: the editor opens on claimed-by-me tasks. */
  readonly canEdit: boolean;
}

export interface WorklistReader {
  readonly name: string;
  readonly pools: readonly string[];
}

/** "DUPONT Marie" from the request's patient (jsonb), or an empty string when it is missing. */
export function patientLabel(patient: unknown): string {
  const p = (patient ?? {}) as { familyName?: unknown; givenName?: unknown };
  return [typeof p.familyName === 'string' ? p.familyName.toUpperCase() : '', typeof p.givenName === 'string' ? p.givenName : ''].filter(Boolean).join(' ');
}

export function slaState(task: Pick<ReadingTaskView, 'dueAt' | 'slaWarned' | 'slaBreached'>, now: Date): SlaState {
  if (task.slaBreached || Date.parse(task.dueAt) <= now.getTime()) return 'breached';
  return task.slaWarned ? 'warning' : 'on-time';
}

/**
 * Rows of the reading worklist in the order the store gives (nearest deadline first). Actions
 * follow the pathway's rules so the page offers only what the workflow would accept: claim an open
 * task of one's pools; release or edit one's own.
 */
export function worklistRows(tasks: readonly ReadingTaskView[], who: WorklistReader, pools: readonly { id: string; name: string }[], now: Date): WorklistRow[] {
  const poolName = new Map(pools.map((p) => [p.id, p.name]));
  return tasks.map((t) => {
    const mine = t.state === 'claimed' && t.claimedBy === who.name;
    return {
      requestId: t.requestId,
      pool: t.pool,
      poolName: poolName.get(t.pool) ?? t.pool,
      priority: t.priority,
      procedure: t.procedure.label ?? t.procedure.code,
      modality: t.procedure.modality,
      patient: patientLabel(t.patient),
      dueAt: t.dueAt,
      minutesLeft: Math.round((Date.parse(t.dueAt) - now.getTime()) / 60_000),
      sla: slaState(t, now),
      claimedBy: t.claimedBy,
      mine,
      canClaim: t.state === 'open' && who.pools.includes(t.pool),
      canRelease: mine,
      canEdit: mine,
    };
  });
}
