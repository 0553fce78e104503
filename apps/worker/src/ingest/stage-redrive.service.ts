import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Client } from '@temporalio/client';
import { DueStudy, IngestBacklogStore } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DoseJobData } from '@krypton/dose-registry';
import { ACQUISITION_QUEUE, AcquisitionJobData, DOSE_QUEUE } from '@krypton/queue';
import { AcquisitionService, MppsBacklogStore } from '@krypton/pathway';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { studyLifecycleRef, studyStableSignal, studyWorkflowId } from '@krypton/workflows/study';
import { doseJob } from './index.processor';

const STUDIES_PER_ROUND = 100;
const PARALLEL = 8;
const DOSE_PER_ROUND = 200;

/**
 * Drives the stages after indexing from the catalogue's own rows (IngestBacklogStore), so none of
 * them depends on a queued job surviving:
 * - a study quiet for `ingest.stableAfterSeconds` since its last indexed batch is handed to
 *   Temporal (`signalWithStart` on its lifecycle workflow) and to the acquisition matcher, then
 *   marked as handed over for that batch; if Temporal or PostgreSQL does not answer, the study
 *   stays due and the next round tries again, for as long as it takes;
 * - a dose-bearing instance whose dose is not filed `ingest.redriveAfterSeconds` after it was
 *   indexed gets its dose job again (same job id: no duplicate while one waits);
 * - an MPPS step created or updated that long ago and not matched for that version gets its
 *   acquisition job again.
 * Several workers may run this; a study handed over twice is signalled twice, which the study
 * workflow and the matcher take as the same event.
 */
@Injectable()
export class StageRedriveService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('StageRedrive');
  private timer?: NodeJS.Timeout;
  private running = false;
  private failing: string | null = null;
  private rounds = 0;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly backlog: IngestBacklogStore,
    private readonly acquisition: AcquisitionService,
    private readonly mpps: MppsBacklogStore,
    @InjectQueue(DOSE_QUEUE) private readonly doseQueue: Queue<DoseJobData>,
    @InjectQueue(ACQUISITION_QUEUE) private readonly acquisitionQueue: Queue<AcquisitionJobData>,
  ) {}

  onApplicationBootstrap(): void {
    // A quarter of the quiet period: a study is handed over at most that late.
    const every = Math.min(5000, Math.max(250, (this.cfg.ingest.stableAfterSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.round(), every);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const due = await this.backlog.dueStudies(this.cfg.ingest.stableAfterSeconds, STUDIES_PER_ROUND);
      // A few at a time: each is a Temporal round trip and a few queries, mostly waiting.
      for (let i = 0; i < due.length; i += PARALLEL) {
        const results = await Promise.allSettled(due.slice(i, i + PARALLEL).map((s) => this.handOver(s)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
      // The dose fast path is the index job's own dose job; this is the net under it.
      if (this.rounds++ % 8 === 0) {
        await this.redriveDose();
        await this.redriveMpps();
      }
      if (this.failing) this.log.log(`later ingest stages running again (after: ${this.failing})`);
      this.failing = null;
    } catch (e) {
      if (this.failing === null) this.log.warn(`later ingest stages postponed, retrying: ${e.message}`);
      this.failing = e.message;
    } finally {
      this.running = false;
    }
  }

  private async handOver(study: DueStudy): Promise<void> {
    const { studyUid } = study;
    await this.temporal.workflow.signalWithStart(studyLifecycleRef, {
      workflowId: studyWorkflowId(studyUid),
      taskQueue: this.cfg.temporal.taskQueue,
      args: [{ studyUid }],
      signal: studyStableSignal,
      signalArgs: [{ at: new Date().toISOString() }],
    });
    await this.acquisition.onStudyStable(studyUid);
    await this.backlog.stableSent(study);
    this.log.debug({ studyUid }, 'study stable handed over');
  }

  /** MPPS steps whose matching job was lost; the job id (step and minute) keeps one per step at a time. */
  private async redriveMpps(): Promise<void> {
    const due = await this.mpps.awaitingMatch(this.cfg.ingest.redriveAfterSeconds, DOSE_PER_ROUND);
    if (!due.length) return;
    const minute = Math.floor(Date.now() / 60_000);
    await this.acquisitionQueue.addBulk(due.map((sopInstanceUid) => ({ name: 'mpps', data: { kind: 'mpps' as const, sopInstanceUid }, opts: { jobId: `mpps-redrive-${sopInstanceUid}-${minute}` } })));
  }

  private async redriveDose(): Promise<void> {
    const pending = await this.backlog.pendingDose(this.cfg.ingest.redriveAfterSeconds, DOSE_PER_ROUND);
    if (!pending.length) return;
    // addBulk skips the ids of jobs that still exist, so a job waiting or retrying is not doubled.
    await this.doseQueue.addBulk(pending.map((rec) => doseJob(rec, this.cfg.ingest.retryMaxSeconds)));
  }
}
