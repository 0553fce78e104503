import { Inject, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { DoseParseError } from '@krypton/dose-extraction';
import { DoseIngestOutcome, DoseIngestService, DoseJobData, DoseSourceMissingError } from '@krypton/dose-registry';
import { IngestBacklogStore } from '@krypton/catalog';
import { DOSE_QUEUE, RETRY_SETTINGS } from '@krypton/queue';

/**
 * Files the dose of one received instance in the registry, then clears its `dose_pending` mark.
 * Idempotent, so BullMQ's retries (without end) and re-drives are harmless; an unreadable object
 * is not retried.
 */
@Processor(DOSE_QUEUE, { concurrency: 4, ...RETRY_SETTINGS })
export class DoseProcessor extends WorkerHost {
  private readonly log = new Logger('DoseRegistry');

  constructor(
    @Inject(DoseIngestService) private readonly dose: DoseIngestService,
    private readonly backlog: IngestBacklogStore,
  ) {
    super();
  }

  async process(job: Job<DoseJobData>): Promise<DoseIngestOutcome> {
    try {
      const outcome = await this.dose.ingest(job.data);
      await this.backlog.doseFiled(job.data.sopInstanceUid);
      if (outcome.outcome === 'recorded') this.log.debug({ sopInstanceUid: job.data.sopInstanceUid, ...outcome }, 'dose recorded');
      return outcome;
    } catch (e) {
      if (e instanceof DoseParseError || e instanceof DoseSourceMissingError) {
        this.log.error({ sopInstanceUid: job.data.sopInstanceUid, err: e.message }, 'dose not recorded');
        // Retrying cannot help: no longer pending (the error is in the log).
        await this.backlog.doseFiled(job.data.sopInstanceUid);
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
  }
}
