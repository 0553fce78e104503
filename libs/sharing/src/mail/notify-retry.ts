import type { KryptonConfig } from '@krypton/config';

/** How a share's notification is retried while the relay does not take it. */
export interface NotifyRetry {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly giveUpAfterMs: number;
}

/** The BullMQ backoff type of share notifications; the worker's strategy reads the delays from the job. */
export const NOTIFY_BACKOFF = 'share-notify';

export function notifyRetryOf(cfg: Pick<KryptonConfig, 'sharing'>): NotifyRetry {
  const r = cfg.sharing.mail.retry;
  return { initialMs: r.initialSeconds * 1000, maxMs: r.maxSeconds * 1000, giveUpAfterMs: r.giveUpAfterHours * 3_600_000 };
}

/**
 * The wait before the next attempt once `attemptsMade` attempts failed: doubling from `initialMs`,
 * never more than `maxMs` — BullMQ's own exponential backoff has no ceiling, and a relay down for a
 * day would otherwise be tried again only days later.
 */
export function notifyBackoffMs(attemptsMade: number, r: Pick<NotifyRetry, 'initialMs' | 'maxMs'>): number {
  return Math.min(r.initialMs * 2 ** Math.max(0, attemptsMade - 1), r.maxMs);
}

/** Attempts that cover the give-up horizon: the first at once, each next one after its backoff. */
export function notifyAttempts(r: NotifyRetry): number {
  let waited = 0;
  let attempts = 1;
  while (waited < r.giveUpAfterMs) waited += notifyBackoffMs(attempts++, r);
  return attempts;
}
