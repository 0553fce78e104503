import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, MinimalJob } from 'bullmq';
import { SHARE_NOTIFY_QUEUE, ShareNotifyJobData } from '@krypton/queue';
import { NOTIFY_BACKOFF, notifyBackoffMs, ShareNotifier } from '@krypton/sharing';

/** Jobs queued before the capped backoff existed carry no delays: the configuration's defaults. */
const DEFAULT_BACKOFF = { initialMs: 5_000, maxMs: 900_000 };

/**
 * Sends a new share's e-mail. A relay that refuses or cannot be reached fails the job, which the
 * queue retries with a capped exponential backoff (the share records each failure) until
 * `sharing.mail.retry.giveUpAfterHours`; then the share says it gave up and the job stays in the
 * queue's failed set (the dead letter) until POST /shares/{id}/notify. A revoked share is not announced.
 */
@Processor(SHARE_NOTIFY_QUEUE, {
  concurrency: 2,
  settings: {
    backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob) =>
      type === NOTIFY_BACKOFF ? notifyBackoffMs(attemptsMade, (job?.data as ShareNotifyJobData | undefined)?.backoff ?? DEFAULT_BACKOFF) : 0,
  },
})
export class ShareNotifyProcessor extends WorkerHost {
  private readonly log = new Logger('ShareNotify');

  constructor(private readonly notifier: ShareNotifier) {
    super();
  }

  async process(job: Job<ShareNotifyJobData>): Promise<string> {
    const outcome = await this.notifier.notify(job.data.shareId);
    this.log.debug({ shareId: job.data.shareId, outcome }, 'share notification');
    return outcome;
  }

  /** The last attempt failed: the share says so, for whoever lists it. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<ShareNotifyJobData> | undefined, err: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.log.warn({ shareId: job.data.shareId, attempts: job.attemptsMade, err: err.message }, 'share notification given up: in the failed set until sent again');
    await this.notifier.gaveUp(job.data.shareId, job.attemptsMade, err.message);
  }
}
