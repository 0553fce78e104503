import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ArchiveService } from '@krypton/archive';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { archiveStudyRef, archiveWorkflowId, recallSignal } from '@krypton/workflows/archive';

const BATCH = 500;

/**
 * Hands the archive lifecycle its studies. Every `archive.sweepSeconds` it starts the workflow of
 * each study filed since (the `study_archive` row a trigger writes at the first instance; a
 * partial index holds only those not started) and signals a recall for each study read while on
 * the archive tier (requested by the access recorder of any process). Driving both from rows
 * rather than from the ingest path keeps the ingest hot path unchanged and survives any process
 * being down: what is not done now is found again at the next sweep.
 */
@Injectable()
export class ArchiveSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ArchiveSweeper');
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly archive: ArchiveService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.cfg.archive.enabled) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sweep()).catch((e) => this.log.warn(`archive sweep failed, retried next period: ${e.message}`));
    }, this.cfg.archive.sweepSeconds * 1000);
  }

  async sweep(): Promise<void> {
    for (let uids = await this.archive.studiesToStart(BATCH); uids.length; uids = await this.archive.studiesToStart(BATCH)) {
      for (const studyUid of uids) {
        await this.temporal.workflow.start(archiveStudyRef, { workflowId: archiveWorkflowId(studyUid), taskQueue: this.cfg.temporal.taskQueue, args: [{ studyUid }] }).catch((e) => {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        });
      }
      await this.archive.markStarted(uids);
      if (uids.length < BATCH) break;
    }
    for (const studyUid of await this.archive.recallRequests(BATCH)) {
      await this.temporal.workflow
        .signalWithStart(archiveStudyRef, {
          workflowId: archiveWorkflowId(studyUid),
          taskQueue: this.cfg.temporal.taskQueue,
          args: [{ studyUid }],
          signal: recallSignal,
        })
        .catch((e) => {
          if (!(e instanceof WorkflowNotFoundError)) throw e;
        });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
