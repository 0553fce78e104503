import { Inject, Logger } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { Client } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ACQUISITION_QUEUE, AcquisitionJobData, STUDY_STABLE_QUEUE, StudyStableJobData } from '@krypton/queue';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { studyLifecycleRef, studyStableSignal, studyWorkflowId } from '@krypton/workflows/study';

/**
 * Hands a stable study to Temporal (the study's workflow is started if absent, then signalled) and
 * to the acquisition matcher, which finds the exam's pathway. Separate jobs: a matching failure is
 * retried without signalling the study's workflow twice.
 */
@Processor(STUDY_STABLE_QUEUE, { concurrency: 4 })
export class StudyStableProcessor extends WorkerHost {
  private readonly log = new Logger('StudyStable');

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @InjectQueue(ACQUISITION_QUEUE) private readonly acquisition: Queue<AcquisitionJobData>,
  ) {
    super();
  }

  async process(job: Job<StudyStableJobData>): Promise<void> {
    const { studyUid } = job.data;
    await this.temporal.workflow.signalWithStart(studyLifecycleRef, {
      workflowId: studyWorkflowId(studyUid),
      taskQueue: this.cfg.temporal.taskQueue,
      args: [{ studyUid }],
      signal: studyStableSignal,
      signalArgs: [{ at: new Date().toISOString() }],
    });
    await this.acquisition.add('study-stable', { kind: 'study-stable', studyUid });
    this.log.debug({ studyUid }, 'study stable');
  }
}
