import { Inject, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { CatalogService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DOSE_QUEUE, INDEX_QUEUE, IndexJobData, STUDY_STABLE_QUEUE, StudyStableJobData } from '@krypton/queue';
import { DoseJobData, isDoseBearing } from '@krypton/dose-registry';

/**
 * Files each received instance in the catalogue, then (re)arms the study's "stable" timer: a
 * delayed job deduplicated per Study Instance UID whose delay restarts with every instance.
 */
@Processor(INDEX_QUEUE, { concurrency: 16 })
export class IndexProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    @InjectQueue(STUDY_STABLE_QUEUE) private readonly stableQueue: Queue<StudyStableJobData>,
    @InjectQueue(DOSE_QUEUE) private readonly doseQueue: Queue<DoseJobData>,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.cfg.ingest.indexConcurrency;
  }

  async process(job: Job<IndexJobData>): Promise<string> {
    const { replace, ...rec } = job.data;
    const outcome = await this.catalog.index(rec, replace);
    const delay = Math.round(this.cfg.ingest.stableAfterSeconds * 1000);
    await this.stableQueue.add(
      'stable',
      { studyUid: rec.studyUid },
      // Debounce: the newest instance replaces the pending job and restarts its delay.
      { delay, deduplication: { id: rec.studyUid, ttl: Math.max(delay, 1), extend: true, replace: true } },
    );
    if (isDoseBearing(rec.sopClassUid, rec.modality, rec.hasHeaderDose)) {
      // After indexing, so the dose job finds its patient row. The job id makes a burst of
      // duplicates of one instance collapse into one job while it waits.
      await this.doseQueue.add('dose', doseJob(rec), { jobId: `dose-${rec.sopInstanceUid}` });
    }
    return outcome;
  }
}

function doseJob(rec: Omit<IndexJobData, 'replace'>): DoseJobData {
  const { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe } = rec;
  return { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe };
}
