import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { SHARE_NOTIFY_QUEUE, ShareNotifyJobData } from '@krypton/queue';
import { ShareNotifier } from '@krypton/sharing';

/**
 * Sends a new share's e-mail. A relay that refuses or cannot be reached fails the job, which the
 * queue retries with backoff (the share records each failure); a revoked share is not announced.
 */
@Processor(SHARE_NOTIFY_QUEUE, { concurrency: 2 })
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
}
