import type { JobsOptions } from 'bullmq';

/** The backoff type of jobs retried without end (see cappedBackoff). */
export const CAPPED_BACKOFF = 'krypton-capped';

/**
 * Options of a job that must eventually succeed (indexing, dose filing): retried without end,
 * the delay doubling from one second up to `ceilingMs`. BullMQ's own exponential backoff has no
 * ceiling (a day between attempts after 17 failures), and a bounded number of attempts is what let
 * index jobs give up during a long PostgreSQL outage.
 */
export function untilSuccess(ceilingMs: number): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return { attempts: Number.MAX_SAFE_INTEGER, backoff: { type: CAPPED_BACKOFF, delay: Math.max(1, Math.round(ceilingMs)) } };
}

/** Worker `settings.backoffStrategy` for CAPPED_BACKOFF jobs (the ceiling travels in `backoff.delay`). */
export function cappedBackoff(attemptsMade: number, type?: string, _err?: Error, job?: { opts?: { backoff?: number | { delay?: number } } }): number {
  const b = job?.opts?.backoff;
  const ceiling = typeof b === 'object' && b?.delay ? b.delay : 30_000;
  // Jobs of other backoff types reaching this strategy get the same doubling, with the default ceiling.
  return Math.min(1000 * 2 ** Math.min(30, Math.max(0, attemptsMade - 1)), type === CAPPED_BACKOFF ? ceiling : 30_000);
}

/** Worker options of the processors whose jobs use untilSuccess. */
export const RETRY_SETTINGS = { settings: { backoffStrategy: cappedBackoff } } as const;
