import { Inject, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { CatalogService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DOSE_QUEUE, INDEX_QUEUE, IndexJobData, RETRY_SETTINGS, untilSuccess } from '@krypton/queue';
import { DoseJobData, isDoseBearing } from '@krypton/dose-registry';

/**
 * Files received instances in the catalogue (which stamps their studies, making them due for the
 * study-stable stage: StageRedriveService) and queues the dose of dose-bearing ones. Jobs are
 * retried without end; the ingest journal re-drives what a lost job would have filed.
 */
@Processor(INDEX_QUEUE, { concurrency: 4, ...RETRY_SETTINGS })
export class IndexProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    @InjectQueue(DOSE_QUEUE) private readonly doseQueue: Queue<DoseJobData>,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.cfg.ingest.indexConcurrency;
  }

  async process(job: Job<IndexJobData>): Promise<string[]> {
    const items = job.data.items.map((i) => ({ ...i, doseBearing: isDoseBearing(i.rec.sopClassUid, i.rec.modality, i.rec.hasHeaderDose) }));
    const outcomes = await this.catalog.indexBatch(items);
    // Only what this job filed: a known instance's dose is pending already, or filed.
    const dose = items.filter((i, k) => i.doseBearing && outcomes[k] !== 'unchanged').map((i) => i.rec);
    if (dose.length) {
      // After indexing, so the dose job finds its patient row. The job id makes a burst of
      // duplicates of one instance collapse into one job while it waits; `dose_pending` re-drives
      // a job that is lost.
      await this.doseQueue.addBulk(dose.map((rec) => doseJob(rec, this.cfg.ingest.retryMaxSeconds)));
    }
    return outcomes;
  }
}

/** A dose job for an instance (from the index job or re-driven from `dose_pending`). */
export function doseJob(rec: DoseJobData, retryMaxSeconds: number) {
  const { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe } = rec;
  return {
    name: 'dose',
    data: { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe },
    opts: { jobId: `dose-${sopInstanceUid}`, ...untilSuccess(retryMaxSeconds * 1000) },
  };
}
