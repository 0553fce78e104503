import type { HealthCheckName, HealthReport } from '../../health/health.service';
import { HEALTH_CHECKS } from '../../health/health.service';

export interface HealthLine {
  readonly check: HealthCheckName;
  readonly up: boolean;
  /** What the check said ("2 running", "no worker has reported in the last 15 s"). */
  readonly detail: string | null;
}

export interface BacklogLine {
  readonly stage: 'unindexed' | 'indexJobs' | 'studiesAwaitingStable' | 'instancesAwaitingDose';
  /** null when its store did not answer. */
  readonly count: number | null;
}

export interface HealthView {
  readonly up: boolean;
  readonly lines: readonly HealthLine[];
  /** Down first: an administrator reads what needs doing before what works. */
  readonly down: readonly HealthCheckName[];
  readonly backlog: readonly BacklogLine[];
  readonly backlogUnreadable: string | null;
}

const STAGES = ['unindexed', 'indexJobs', 'studiesAwaitingStable', 'instancesAwaitingDose'] as const;

/** /health as sentences: the template says, per check, what it means and what to do when it is down. */
export function healthView(report: HealthReport): HealthView {
  const lines = HEALTH_CHECKS.map((check) => ({ check, up: report.checks[check].status === 'up', detail: report.checks[check].detail ?? null }));
  const backlog = report.ingestBacklog as Record<string, unknown>;
  return {
    up: report.status === 'up',
    lines: [...lines.filter((l) => !l.up), ...lines.filter((l) => l.up)],
    down: report.down,
    backlog: 'error' in backlog ? [] : STAGES.map((stage) => ({ stage, count: typeof backlog[stage] === 'number' ? (backlog[stage] as number) : null })),
    backlogUnreadable: 'error' in backlog ? String(backlog.error ?? '') : null,
  };
}
