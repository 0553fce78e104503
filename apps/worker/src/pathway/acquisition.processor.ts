import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ACQUISITION_QUEUE, AcquisitionJobData } from '@krypton/queue';
import { AcquisitionService } from '@krypton/pathway';

/**
 * MPPS (from the DICOM gateway) and stable studies (from the ingest pipeline) matched to their
 * pathway. A failure (PostgreSQL or Temporal unreachable) fails the job and BullMQ retries it.
 */
@Processor(ACQUISITION_QUEUE, { concurrency: 4 })
export class AcquisitionProcessor extends WorkerHost {
  private readonly log = new Logger('AcquisitionMatch');

  constructor(private readonly acquisition: AcquisitionService) {
    super();
  }

  async process(job: Job<AcquisitionJobData>): Promise<string> {
    const d = job.data;
    const outcome = d.kind === 'mpps' ? await this.acquisition.onMpps(d.sopInstanceUid) : await this.acquisition.onStudyStable(d.studyUid);
    this.log.debug({ ...d, outcome }, 'acquisition event');
    return outcome;
  }
}
