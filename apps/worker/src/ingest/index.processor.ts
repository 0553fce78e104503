import { Inject, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { CatalogService, StoredInstance } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DOSE_QUEUE, INDEX_QUEUE, IndexJobData, STUDY_STABLE_QUEUE, StudyStableJobData } from '@krypton/queue';
import { DoseJobData, isDoseBearing } from '@krypton/dose-registry';

/**
 * Files each received instance in the catalogue, then (re)arms the study's "stable" timer: a
 * delayed job deduplicated per Study Instance UID whose delay restarts with every instance.
 */
@Processor(INDEX_QUEUE, { concurrency: 4 })
export class IndexProcessor extends WorkerHost implements OnModuleInit {
  /** When this worker last re-armed each study's stable timer (see rearmStable). */
  private readonly armedAt = new Map<string, number>();

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

  async process(job: Job<IndexJobData>): Promise<string[]> {
    const outcomes = await this.catalog.indexBatch(job.data.items);
    for (const studyUid of new Set(job.data.items.map((i) => i.rec.studyUid))) await this.rearmStable(studyUid);
    const dose = job.data.items.map((i) => i.rec).filter((rec) => isDoseBearing(rec.sopClassUid, rec.modality, rec.hasHeaderDose));
    if (dose.length) {
      // After indexing, so the dose job finds its patient row. The job id makes a burst of
      // duplicates of one instance collapse into one job while it waits.
      await this.doseQueue.addBulk(dose.map((rec) => ({ name: 'dose', data: doseJob(rec), opts: { jobId: `dose-${rec.sopInstanceUid}` } })));
    }
    return outcomes;
  }

  /**
   * Debounce of the "study stable" signal. Each instance restarts the study's delayed job (BullMQ
   * deduplication in replace mode), but a study arriving at hundreds of instances a second would
   * pay one Redis script per instance for nothing: within a tenth of the quiet period (at most a
   * second) after this worker re-armed it, the timer is left alone. The study is then declared
   * stable at most that much early, and an instance arriving later re-arms it again.
   */
  private async rearmStable(studyUid: string): Promise<void> {
    const delay = Math.round(this.cfg.ingest.stableAfterSeconds * 1000);
    const window = Math.min(1000, delay / 10);
    const now = Date.now();
    const last = this.armedAt.get(studyUid);
    if (last !== undefined && now - last < window) return;
    this.armedAt.set(studyUid, now);
    if (this.armedAt.size > 10_000) {
      for (const [uid, at] of this.armedAt) if (now - at >= window) this.armedAt.delete(uid);
    }
    await this.stableQueue.add(
      'stable',
      { studyUid },
      // The newest instance replaces the pending job and restarts its delay.
      { delay, deduplication: { id: studyUid, ttl: Math.max(delay, 1), extend: true, replace: true } },
    );
  }
}

function doseJob(rec: StoredInstance): DoseJobData {
  const { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe } = rec;
  return { storageKey, sopInstanceUid, sopClassUid, patientId, issuer, studyUid, modality, studyDate, studyTime, stationName, sourceAe };
}
