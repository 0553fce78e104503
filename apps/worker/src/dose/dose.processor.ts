import { Inject, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { DoseParseError } from '@krypton/dose-extraction';
import { DoseIngestOutcome, DoseIngestService, DoseJobData, DoseSourceMissingError } from '@krypton/dose-registry';
import { DOSE_QUEUE } from '@krypton/queue';

/**
 * Files the dose of one received instance in the registry. Idempotent, so BullMQ's retries (and
 * re-sends of the same report) are harmless; an unreadable object is not retried.
 */
@Processor(DOSE_QUEUE, { concurrency: 4 })
export class DoseProcessor extends WorkerHost {
  private readonly log = new Logger('DoseRegistry');

  constructor(@Inject(DoseIngestService) private readonly dose: DoseIngestService) {
    super();
  }

  async process(job: Job<DoseJobData>): Promise<DoseIngestOutcome> {
    try {
      const outcome = await this.dose.ingest(job.data);
      if (outcome.outcome === 'recorded') this.log.debug({ sopInstanceUid: job.data.sopInstanceUid, ...outcome }, 'dose recorded');
      return outcome;
    } catch (e) {
      if (e instanceof DoseParseError || e instanceof DoseSourceMissingError) {
        this.log.error({ sopInstanceUid: job.data.sopInstanceUid, err: e.message }, 'dose not recorded');
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
  }
}
