import { ActivityFailure, ApplicationFailure, condition, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import {
  destinationTaskQueue,
  forwardProgressQuery,
  operatorActionUpdate,
  type ForwardActivities,
  type ForwardBatchResult,
  type ForwardProgress,
  type ForwardState,
  type ForwardStudyInput,
  type OperatorAction,
} from './contract';

/** How long one commitmentOutcome activity waits for the report before the workflow asks again (well under its 1-minute timeout). */
const AWAIT_REPORT_MS = 20_000;

const DEFAULTS = { giveUpAfterMs: 24 * 3600_000, initialRetryMs: 5_000, maxRetryMs: 300_000, commitmentTimeoutMs: 10 * 60_000 };

// Bookkeeping activities retry for ever: they touch only our own database.
const book = proxyActivities<ForwardActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

// The same bookkeeping run inside the workflow task (a local activity): opening the job costs
// milliseconds of SQL, while an activity task would add two round trips through the server before
// the first batch can even be scheduled, on the routing's clock.
const bookLocally = proxyLocalActivities<ForwardActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

// Sending is retried by the workflow itself, so that every failed attempt is visible in progress.
const SEND_OPTIONS = {
  startToCloseTimeout: '30 minutes',
  // The activity heartbeats every 5 s while it runs: a dead worker's batch is retried within 20 s.
  heartbeatTimeout: '20 seconds',
  retry: { maximumAttempts: 1 },
} as const;

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
 *
 * Protocol routings (input.origin) add: sending on the destination's own task queue (its
 * concurrency cap), storage commitment before "completed", and, instead of ending "failed", a
 * "waiting-for-operator" state that the operatorAction Update resolves (retry, skip, reroute).
 * Each is switched on by its input field, so runs started before they existed replay unchanged.
 */
export async function forwardStudyWorkflow(input: ForwardStudyInput): Promise<ForwardProgress> {
  const opts = { ...DEFAULTS, ...input };
  const jobId = workflowInfo().workflowId;
  const send = proxyActivities<ForwardActivities>(input.sendQueue ? { ...SEND_OPTIONS, taskQueue: input.sendQueue } : SEND_OPTIONS);
  let progress: ForwardProgress = { state: 'running', total: 0, sent: 0, refused: 0, attempts: 0, lastError: null, nextRetryAt: null };
  let action: OperatorAction | null = null;
  setHandler(forwardProgressQuery, () => progress);
  setHandler(
    operatorActionUpdate,
    (a) => {
      action = a;
      return progress;
    },
    {
      validator: (a) => {
        if (progress.state !== 'waiting-for-operator') throw new Error(`the routing is ${progress.state}, not waiting for an operator`);
        if (!['retry', 'skip', 'reroute'].includes(a?.action)) throw new Error('action must be retry, skip or reroute');
        if (a.action === 'reroute' && (!a.destination || a.destination === input.destination)) throw new Error('reroute needs another destination');
      },
    },
  );

  const setState = async (state: ForwardState, patch: Partial<ForwardProgress> = {}) => {
    progress = { ...progress, ...patch, state };
    await book.recordForwardState(jobId, state, progress.lastError);
  };

  /** Terminal for a manual send; for a protocol routing, the operator decides. Returns true to go on sending. */
  const permanentFailure = async (message: string): Promise<boolean> => {
    if (!input.operatorActions) {
      await setState('failed', { lastError: message });
      return false;
    }
    action = null;
    await setState('waiting-for-operator', { lastError: message, nextRetryAt: null });
    await condition(() => action !== null);
    const chosen = action as unknown as OperatorAction;
    if (chosen.action === 'retry') {
      await book.forgetRefused(jobId);
      await setState('running');
      return true;
    }
    if (chosen.action === 'skip') {
      await setState('skipped', { lastError: chosen.reason ? `skipped: ${chosen.reason}` : message });
      return false;
    }
    const base = workflowInfo().taskQueue;
    await startChild(forwardStudyWorkflow, {
      workflowId: `${jobId}-reroute-${chosen.destination}`,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ ...input, destination: chosen.destination, sendQueue: input.sendQueue ? destinationTaskQueue(base, chosen.destination) : undefined }],
    });
    await setState('rerouted', { reroutedTo: chosen.destination });
    return false;
  };

  // Runs recorded before the local activity existed replay with the activity task they scheduled.
  const opener = patched('open-forward-locally') ? bookLocally : book;
  const plan = await opener.openForward(
    input.origin
      ? { jobId, studyUid: input.studyUid, destination: input.destination, requestedBy: input.requestedBy, origin: input.origin }
      : { jobId, studyUid: input.studyUid, destination: input.destination, requestedBy: input.requestedBy },
  );
  progress = { ...progress, total: plan.total, sent: plan.sent, refused: plan.refused };

  // After an operator's retry, one more batch runs even when nothing is left: it recounts.
  let remaining = plan.remaining;
  for (;;) {
    let unreachableSince: number | null = null;
    let delay = opts.initialRetryMs;
    while (remaining > 0) {
      let batch: ForwardBatchResult;
      try {
        progress = { ...progress, attempts: progress.attempts + 1 };
        batch = await sendBatches();
      } catch (err) {
        const message = describe(err);
        if (isNonRetryable(err)) {
          if (!(await permanentFailure(message))) return progress;
          remaining = 1;
          continue;
        }
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince >= opts.giveUpAfterMs) {
          if (!(await permanentFailure(`${message}; gave up after ${Math.round(opts.giveUpAfterMs / 1000)} s`))) return progress;
          unreachableSince = null;
          delay = opts.initialRetryMs;
          continue;
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

    if (input.operatorActions && progress.refused > 0) {
      if (!(await permanentFailure(progress.lastError ?? `${progress.refused} instance(s) refused by ${input.destination}`))) return progress;
      remaining = 1;
      continue;
    }
    if (input.commitment && progress.sent > 0) {
      const failure = await awaitCommitment();
      if (failure) {
        if (!(await permanentFailure(failure))) return progress;
        remaining = 1;
        continue;
      }
    }
    break;
  }
  await setState(progress.refused > 0 ? 'completed-with-failures' : 'completed');
  return progress;

  /**
   * One batch, or input.parallel batches at once over as many associations; the answer that saw
   * the most settled instances is the freshest count. A failure of any batch is the attempt's failure.
   */
  async function sendBatches(): Promise<ForwardBatchResult> {
    const parts = Math.max(1, input.parallel ?? 1);
    if (parts === 1) return send.forwardBatch({ jobId, studyUid: input.studyUid, destination: input.destination });
    const settled = await Promise.allSettled(Array.from({ length: parts }, (_, part) => send.forwardBatch({ jobId, studyUid: input.studyUid, destination: input.destination, part, parts })));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((r) => (r as PromiseFulfilledResult<ForwardBatchResult>).value);
    return results.reduce((a, b) => (b.sent + b.refused > a.sent + a.refused ? b : a));
  }

  /** N-ACTION now, then the outcome the gateway filed from the destination's N-EVENT-REPORT. Null when all is committed. */
  async function awaitCommitment(): Promise<string | null> {
    await setState('awaiting-commitment');
    let transactionUid: string;
    try {
      transactionUid = await send.requestCommitment({ jobId, destination: input.destination });
    } catch (err) {
      return `storage commitment request failed: ${describe(err)}`;
    }
    progress = { ...progress, commitment: { transactionUid, committed: 0, failed: 0 } };
    const deadline = Date.now() + opts.commitmentTimeoutMs;
    // The activity waits for the gateway's notice of the report (up to AWAIT_REPORT_MS each time)
    // instead of the workflow polling on timers; runs recorded before it replay with the polls.
    const awaited = patched('commitment-awaited');
    let wait = 200;
    for (;;) {
      const outcome = awaited ? await book.commitmentOutcome(transactionUid, Math.max(1, Math.min(AWAIT_REPORT_MS, deadline - Date.now()))) : await book.commitmentOutcome(transactionUid);
      if (outcome.state !== 'pending') {
        progress = { ...progress, commitment: { transactionUid, committed: outcome.committed, failed: outcome.failed } };
        return outcome.state === 'committed' ? null : `storage commitment failed for ${outcome.failed} instance(s)${outcome.detail ? `: ${outcome.detail}` : ''}`;
      }
      if (Date.now() >= deadline) return `no storage commitment report within ${Math.round(opts.commitmentTimeoutMs / 1000)} s`;
      await sleep(wait);
      // Polled (runs before commitment-awaited): the report usually follows within seconds, so
      // often at first, then every second. Awaited: a short pause between two waits.
      wait = Math.min(wait * 2, 1_000);
    }
  }
}
