import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { AcquisitionService, type StudyAttached, type StudyAttachedListener } from '@krypton/pathway';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { priorsRef, priorsWorkflowId } from '@krypton/workflows/priors';
import { protocolActor } from '@krypton/workflows/routing';
import { RoutingDecisionStore } from './routing-decision.store';

/**
 * A protocol's fetchPriors for a study that arrived without an exam (unmatched): routing decided
 * it when the study became stable, but there was no exam to attach priors to. When a coordinator
 * ties the study to its exam, the search starts here, as the study lifecycle would have started
 * it, with the same workflow id and the protocol as requester. Only where the pathway's own
 * searches are off (`pathway.priors.enabled: false`): otherwise the pathway searches on the
 * attach itself.
 */
@Injectable()
export class AttachedStudyPriors implements StudyAttachedListener, OnModuleInit {
  private readonly log = new Logger('AttachedStudyPriors');

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly decisions: RoutingDecisionStore,
    private readonly acquisition: AcquisitionService,
  ) {}

  onModuleInit(): void {
    this.acquisition.onStudyAttached(this);
  }

  async studyAttached({ studyUid, requestId }: StudyAttached): Promise<void> {
    if (this.cfg.pathway.priors.enabled) return;
    const asked = (await this.decisions.forStudy(studyUid)).filter((d) => d.fetchPriors).pop();
    if (!asked) return;
    const requestedBy = protocolActor({ protocolId: asked.protocolId, version: asked.protocolVersion });
    try {
      await this.temporal.workflow.start(priorsRef, {
        workflowId: priorsWorkflowId(requestId, 'study'),
        taskQueue: this.cfg.temporal.taskQueue,
        // As the study lifecycle starts it: one search per exam and trigger, even once finished.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ requestId, studyUid, trigger: 'study', requestedBy }],
      });
      this.log.log({ studyUid, requestId, requestedBy }, 'priors search started for a study tied to its exam');
    } catch (e) {
      // This exam's search for its study ran or runs already: it is enough.
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
  }
}
