import { Inject, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { Client } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { STUDY_STABLE_QUEUE, StudyStableJobData } from '@krypton/queue';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { studyStableSignal, studyWorkflowId } from '../../../../workflows/study/study-lifecycle.signals';

/** Hands a stable study to Temporal: the study's workflow is started if absent, then signalled. */
@Processor(STUDY_STABLE_QUEUE, { concurrency: 4 })
export class StudyStableProcessor extends WorkerHost {
  private readonly log = new Logger('StudyStable');

  constructor(@Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig, @Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {
    super();
  }

  async process(job: Job<StudyStableJobData>): Promise<void> {
    const { studyUid } = job.data;
    await this.temporal.workflow.signalWithStart('studyLifecycleWorkflow', {
      workflowId: studyWorkflowId(studyUid),
      taskQueue: this.cfg.temporal.taskQueue,
      args: [{ studyUid }],
      signal: studyStableSignal,
      signalArgs: [{ at: new Date().toISOString() }],
    });
    this.log.debug({ studyUid }, 'study stable');
  }
}
