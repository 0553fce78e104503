import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { forwardProgressQuery, type ForwardActivities, type ForwardBatchResult, type ForwardProgress, type ForwardState, type ForwardStudyInput } from './contract';

const DEFAULTS = { giveUpAfterMs: 24 * 3600_000, initialRetryMs: 5_000, maxRetryMs: 300_000 };

// Bookkeeping activities retry for ever: they touch only our own database.
const book = proxyActivities<ForwardActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

// Sending is retried by the workflow itself, so that every failed attempt is visible in progress.
const send = proxyActivities<ForwardActivities>({
  startToCloseTimeout: '30 minutes',
  // The activity heartbeats every 5 s while it runs: a dead worker's batch is retried within 20 s.
  heartbeatTimeout: '20 seconds',
  retry: { maximumAttempts: 1 },
});

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

function isNonRetryable(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}

/**
 * Sends every instance of a study to one destination. Each activity sends a batch over one
 * association and records each answer in the database before moving on, so a retried batch or a
 * restarted worker never sends an instance twice after success. While the destination is down the
 * workflow waits with exponential backoff, in a visible "waiting-for-destination" state.
 */
export async function forwardStudyWorkflow(input: ForwardStudyInput): Promise<ForwardProgress> {
  const opts = { ...DEFAULTS, ...input };
  const jobId = workflowInfo().workflowId;
  let progress: ForwardProgress = { state: 'running', total: 0, sent: 0, refused: 0, attempts: 0, lastError: null, nextRetryAt: null };
  setHandler(forwardProgressQuery, () => progress);

  const setState = async (state: ForwardState, patch: Partial<ForwardProgress> = {}) => {
    progress = { ...progress, ...patch, state };
    await book.recordForwardState(jobId, state, progress.lastError);
  };

  const plan = await book.openForward({ jobId, studyUid: input.studyUid, destination: input.destination, requestedBy: input.requestedBy });
  progress = { ...progress, total: plan.total, sent: plan.sent, refused: plan.refused };

  let unreachableSince: number | null = null;
  let delay = opts.initialRetryMs;
  let remaining = plan.remaining;
  while (remaining > 0) {
    let batch: ForwardBatchResult;
    try {
      progress = { ...progress, attempts: progress.attempts + 1 };
      batch = await send.forwardBatch({ jobId, studyUid: input.studyUid, destination: input.destination });
    } catch (err) {
      const message = describe(err);
      if (isNonRetryable(err)) {
        await setState('failed', { lastError: message });
        return progress;
      }
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince >= opts.giveUpAfterMs) {
        await setState('failed', { lastError: `${message}; gave up after ${Math.round(opts.giveUpAfterMs / 1000)} s` });
        return progress;
      }
      await setState('waiting-for-destination', { lastError: message, nextRetryAt: new Date(Date.now() + delay).toISOString() });
      await sleep(delay);
      delay = Math.min(delay * 2, opts.maxRetryMs);
      continue;
    }
    unreachableSince = null;
    delay = opts.initialRetryMs;
    remaining = batch.remaining;
    progress = { ...progress, total: batch.total, sent: batch.sent, refused: batch.refused, nextRetryAt: null };
    if (progress.state !== 'running') await setState('running');
  }
  await setState(progress.refused > 0 ? 'completed-with-failures' : 'completed');
  return progress;
}
