import { condition, continueAsNew, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, workflowInfo, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { priorsWorkflowId } from '../priors/contract';
import { priorsWorkflow } from '../priors/priors.workflow';
import { destinationTaskQueue, protocolActor, routeWorkflowId, type RoutingActivities, type RoutingPlan } from '../routing/contract';
import { forwardStudyWorkflow } from '../routing/forward-study.workflow';
import { studyStableSignal, studyStatusQuery, type CatalogActivities, type StudyLifecycleInput, type StudyStableEvent } from './contract';

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const remote = proxyActivities<CatalogActivities & RoutingActivities>(ACTIVITY_OPTIONS);
// Both steps are a few SQL statements: run inside the workflow task (local activities) they put a
// stable study's routings on their way without four round trips through the server first.
const local = proxyLocalActivities<CatalogActivities & RoutingActivities>(ACTIVITY_OPTIONS);

/** A study with no new instance for this long closes its workflow; a later arrival starts a new run. */
const IDLE_CLOSE = '30 days';

/**
 * One workflow per study, the anchor later capabilities (pathways, dose, routing protocols) attach
 * to. Started or signalled by the ingest pipeline with signalWithStart whenever the study becomes
 * stable, so instances that arrive after the first stability are seen too.
 */
export async function studyLifecycleWorkflow(input: StudyLifecycleInput): Promise<void> {
  const pending: StudyStableEvent[] = [];
  let stableCount = input.stableCount ?? 0;
  let lastStableAt: string | null = null;
  setHandler(studyStableSignal, (e) => void pending.push(e));
  setHandler(studyStatusQuery, () => ({ studyUid: input.studyUid, stableCount, lastStableAt }));

  for (;;) {
    const signalled = await condition(() => pending.length > 0, IDLE_CLOSE);
    if (!signalled) return;
    const event = pending.shift() as StudyStableEvent;
    // Runs recorded before the local activities replay with the activity tasks they scheduled.
    const steps = patched('stable-steps-locally') ? local : remote;
    await steps.markStudyStable(input.studyUid);
    stableCount += 1;
    lastStableAt = event.at;
    // Runs recorded before protocols existed replay without this step.
    if (patched('routing-protocols')) await route(steps, input.studyUid, stableCount);
    // Long-lived studies keep their history short; pending signals are carried by draining first.
    if (workflowInfo().continueAsNewSuggested && pending.length === 0) {
      await continueAsNew<typeof studyLifecycleWorkflow>({ studyUid: input.studyUid, stableCount });
    }
  }
}

/**
 * The live protocols decide on the stable study (the version is pinned in each routing's input);
 * each copy is its own workflow, abandoned by this one so that it outlives the study's idle close.
 * A routing of the same protocol, destination and study still running takes the late instances
 * itself (it recounts the study on each batch); a finished one is started again for them.
 */
async function route(steps: typeof remote, studyUid: string, stableCount: number): Promise<void> {
  const plan = await steps.planRouting(studyUid, stableCount);
  // Runs recorded before a protocol's shares and fetchPriors were carried out replay without them.
  if (patched('protocol-actions')) await protocolActions(studyUid, plan);
  const base = workflowInfo().taskQueue;
  for (const r of plan.routes) {
    try {
      await startChild(forwardStudyWorkflow, {
        workflowId: routeWorkflowId(r.origin.protocolId, r.destination, studyUid),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            studyUid,
            destination: r.destination,
            requestedBy: protocolActor(r.origin),
            origin: r.origin,
            sendQueue: destinationTaskQueue(base, r.destination),
            commitment: r.commitment,
            parallel: r.parallel,
            commitmentTimeoutMs: r.commitmentTimeoutMs,
            operatorActions: true,
            initialRetryMs: r.initialRetryMs,
            maxRetryMs: r.maxRetryMs,
            giveUpAfterMs: r.giveUpAfterMs,
          },
        ],
      });
    } catch (e) {
      // A routing of this protocol, destination and study still runs: it takes the late instances itself.
      if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    }
  }
}

/**
 * A protocol's other actions on the stable study: its shares (through libs/sharing, idempotent per
 * protocol version, study and recipient) and its fetchPriors, which starts the exam's priors search
 * exactly as the study-arrival path of the pathway does — the same workflow id, so whichever of the
 * two comes first runs it and the other finds it there (a finished one is not run again).
 */
async function protocolActions(studyUid: string, plan: RoutingPlan): Promise<void> {
  for (const share of plan.shares ?? []) await remote.shareByProtocol(share);
  if (!plan.priors) return;
  const { requestId, requestedBy } = plan.priors;
  try {
    await startChild(priorsWorkflow, {
      workflowId: priorsWorkflowId(requestId, 'study'),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ requestId, studyUid, trigger: 'study', requestedBy }],
    });
  } catch (e) {
    if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
  }
}
