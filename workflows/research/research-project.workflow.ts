import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  approveUpdate,
  DECISION_ROLES,
  DecisionInput,
  requestChangesUpdate,
  rejectUpdate,
  RESEARCH_ROLE_REFUSED,
  RESEARCH_WRONG_STATE,
  ResearchActivities,
  ResearchDecision,
  researchProjectQuery,
  ResearchProjectInput,
  ResearchProjectState,
  ResearchProjectView,
  resubmitUpdate,
  RESUBMIT_ROLES,
} from './contract';

// Bookkeeping touches only our own database: retry for ever.
const books = proxyActivities<ResearchActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

// A batch de-identifies up to BATCH instances and heartbeats after each: a worker that dies is
// noticed within the heartbeat timeout (20 s; one instance takes milliseconds) and the batch resumes elsewhere, skipping what is done.
const extraction = proxyActivities<ResearchActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5s', maximumInterval: '5 minutes' },
});

const BATCH = 50;

function requireRole(roles: readonly string[], allowed: readonly string[], step: string): void {
  if (!roles.some((r) => allowed.includes(r))) {
    throw ApplicationFailure.create({ type: RESEARCH_ROLE_REFUSED, message: `${step} requires one of the roles: ${allowed.join(', ')}`, nonRetryable: true });
  }
}

function requireState(actual: ResearchProjectState, expected: ResearchProjectState, step: string): void {
  if (actual !== expected) {
    throw ApplicationFailure.create({ type: RESEARCH_WRONG_STATE, message: `${step} is possible in state "${expected}", the project is "${actual}"`, nonRetryable: true });
  }
}

/**
 * One research project: submitted → the data-access committee approves, rejects or asks for
 * changes (Temporal Updates; the project waits for as long as it takes) → the cohort is frozen
 * and extracted de-identified in batches → the delivery (archive, manifest, optional research
 * PACS) is built → completed. Every transition is mirrored and audited in PostgreSQL.
 */
export async function researchProjectWorkflow(input: ResearchProjectInput): Promise<ResearchProjectView> {
  const empty = { total: 0, done: 0, quarantined: 0, failed: 0 };
  let view: ResearchProjectView = input.resume ?? { projectId: input.projectId, state: 'submitted', decisions: [], counts: empty };
  setHandler(researchProjectQuery, () => view);

  const decide = (decision: ResearchDecision['decision'], next: ResearchProjectState) => async (d: DecisionInput) => {
    requireState(view.state, 'submitted', decision);
    const recorded: ResearchDecision = { by: d.by, decision, note: d.note, at: new Date().toISOString() };
    view = { ...view, state: next, decisions: [...view.decisions, recorded] };
    await books.recordResearchTransition({ projectId: input.projectId, state: next, action: decision, actor: d.by, detail: { note: d.note } });
    return view;
  };
  const decisionValidator = (step: string) => (d: DecisionInput) => {
    requireRole(d.roles, DECISION_ROLES, step);
    requireState(view.state, 'submitted', step);
    if (typeof d.note !== 'string') throw ApplicationFailure.create({ type: 'ResearchInvalidInput', message: 'note must be a string', nonRetryable: true });
  };
  setHandler(approveUpdate, decide('approved', 'approved'), { validator: decisionValidator('approve') });
  setHandler(rejectUpdate, decide('rejected', 'rejected'), { validator: decisionValidator('reject') });
  setHandler(requestChangesUpdate, decide('changes-requested', 'changes-requested'), { validator: decisionValidator('request changes') });
  setHandler(
    resubmitUpdate,
    async (r) => {
      requireState(view.state, 'changes-requested', 'resubmit');
      view = { ...view, state: 'submitted' };
      await books.recordResearchTransition({ projectId: input.projectId, state: 'submitted', action: 'resubmitted', actor: r.by, detail: null });
      return view;
    },
    {
      validator: (r) => {
        requireRole(r.roles, RESUBMIT_ROLES, 'resubmit');
        requireState(view.state, 'changes-requested', 'resubmit');
      },
    },
  );

  // No timeout: a committee may take months, and a waiting workflow costs nothing.
  while (view.state === 'submitted' || view.state === 'changes-requested') {
    const waitingIn = view.state;
    await condition(() => view.state !== waitingIn);
  }
  await condition(allHandlersFinished);
  if (view.state === 'rejected') return view;

  if (view.state === 'approved') {
    const counts = await books.freezeResearchCohort(input.projectId);
    view = { ...view, state: 'extracting', counts };
    await books.recordResearchTransition({ projectId: input.projectId, state: 'extracting', action: 'extraction-started', actor: null, detail: counts });
  }
  while (view.state === 'extracting') {
    const batch = await extraction.extractResearchBatch({ projectId: input.projectId, limit: BATCH });
    view = { ...view, counts: batch.counts };
    if (batch.remaining === 0) {
      view = { ...view, state: 'delivering' };
      await books.recordResearchTransition({ projectId: input.projectId, state: 'delivering', action: 'extraction-finished', actor: null, detail: batch.counts });
    } else if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof researchProjectWorkflow>({ ...input, resume: view });
    }
  }
  if (view.state === 'delivering') {
    const delivery = await extraction.deliverResearchProject(input.projectId);
    view = { ...view, state: 'completed' };
    await books.recordResearchTransition({ projectId: input.projectId, state: 'completed', action: 'delivered', actor: null, detail: delivery });
  }
  return view;
}
