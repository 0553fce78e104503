import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ACQUISITION_QUEUE, AcquisitionJobData } from '@krypton/queue';
import { AcquisitionService, MppsBacklogStore } from '@krypton/pathway';

/**
 * MPPS (from the DICOM gateway) matched to their pathway; the step's version is then marked
 * handled (`mpps.match_sent_for`), and StageRedriveService queues any step left unhandled (a job
 * lost with Redis). A failure (PostgreSQL or Temporal unreachable) fails the job and BullMQ
 * retries it.
 */
@Processor(ACQUISITION_QUEUE, { concurrency: 4 })
export class AcquisitionProcessor extends WorkerHost {
  private readonly log = new Logger('AcquisitionMatch');

  constructor(
    private readonly acquisition: AcquisitionService,
    private readonly mpps: MppsBacklogStore,
  ) {
    super();
  }

  async process(job: Job<AcquisitionJobData>): Promise<string> {
    const d = job.data;
    if (d.kind !== 'mpps') return this.acquisition.onStudyStable(d.studyUid);
    // The version read before matching is the one marked handled after: an N-SET in between stays due.
    const version = await this.mpps.version(d.sopInstanceUid);
    const outcome = await this.acquisition.onMpps(d.sopInstanceUid);
    if (version) await this.mpps.matched(d.sopInstanceUid, version);
    this.log.debug({ ...d, outcome }, 'acquisition event');
    return outcome;
  }
}
