import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineUpdate,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { priorsWorkflowId, type FindPriorsInput } from '../priors/contract';
import { priorsWorkflow } from '../priors/priors.workflow';
import {
  acquisitionSignal,
  cancelSignal,
  changeRequestUpdate,
  claimReadingUpdate,
  ExamPathwayInput,
  initialPathwayStatus,
  PathwayState,
  PathwayStatus,
  pathwayStatusQuery,
  releaseReadingUpdate,
  scheduleUpdate,
  signReportUpdate,
  type AcquisitionEvent,
  type Attention,
  type PathwayActivities,
} from './contract';
import { checkChange, checkClaim, checkRelease, checkSchedule, checkSign } from './exam-pathway.rules';

/** An Update definition of this workflow (`@temporalio/workflow` does not export the type itself). */
type UpdateDefinition<R, A extends unknown[]> = ReturnType<typeof defineUpdate<R, A>>;

// Mirror writes touch only our own database: retry for ever, the timeline must not have holes.
// A refusal the activity marks non-retryable (unknown AE) still fails at once.
const acts = proxyActivities<PathwayActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});
// Signing renders a PDF and stores a DICOM object through ingest: longer, still retried.
const reportActs = proxyActivities<Pick<PathwayActivities, 'signReport'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', maximumInterval: '1 minute' },
});
// One ORU attempt per activity: the workflow owns the backoff so that attempts and the last
// error are visible to coordinators (status and timeline) while the referrer's system is down.
const deliveryActs = proxyActivities<Pick<PathwayActivities, 'deliverResults'>>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

const MINUTE = 60_000;

/**
 * The exam's priors are searched (and fetched from site PACS) by a workflow of their own, abandoned
 * by the pathway: a slow PACS never holds scheduling or acquisition, and the search outlives a
 * cancellation only as far as its own steps. Pathways recorded before priors existed replay
 * without it (`patched('priors')`).
 */
async function searchPriors(requestId: string, studyUid: string | null, trigger: FindPriorsInput['trigger'], enabled = true): Promise<void> {
  if (!patched('priors')) return;
  // Off at intake (pathway.priors.enabled): only a protocol's fetchPriors starts a search, with this same id.
  if (!enabled) return;
  try {
    await startChild(priorsWorkflow, { workflowId: priorsWorkflowId(requestId, trigger), parentClosePolicy: ParentClosePolicy.ABANDON, args: [{ requestId, studyUid, trigger }] });
  } catch (e) {
    // A search for this request and trigger is still running (a resent schedule): it is enough.
    if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
  }
}
const iso = (ms: number) => new Date(ms).toISOString();
const now = () => Date.now();

/**
 * One exam's pathway, from the request to the delivered result:
 * received → scheduled → acquiring → awaiting-dose → reading → reported → results-delivered → closed,
 * with `cancelled` reachable from every state before closed.
 *
 * - Scheduling, claiming, releasing and signing are Updates: the caller learns at once whether
 *   the pathway accepted them. Cancellation and acquisition events are signals (HL7 and the DICOM
 *   side cannot wait for an answer).
 * - Every wait has a deadline from the pathway's timing (fixed at intake) or the reading SLA; what
 *   the pathway waits for, and whether a coordinator must act (`attention`), is mirrored in
 *   PostgreSQL by the activities so coordinator lists never scan Temporal.
 * - continueAsNew-safe by construction: everything the workflow knows is in `status` (a plain,
 *   serialisable value) including absolute deadlines, which the next run receives as
 *   `input.resume`; handlers are drained before the hand-over so no accepted Update is lost.
 */
export async function examPathwayWorkflow(input: ExamPathwayInput): Promise<PathwayStatus> {
  let status: PathwayStatus = input.resume ?? initialPathwayStatus(input.requestId, input.priority);
  /** A transition in progress that the state does not show yet (an Update handler awaiting its activity). */
  let busy: string | null = null;
  let intakeRecorded = Boolean(input.resume);
  let cancelRequested = status.cancelled !== null;
  const events: AcquisitionEvent[] = [];
  /** Bumped by a change Update: the reading loop re-arms its SLA timers with the new deadlines. */
  let changes = 0;
  const set = (patch: Partial<PathwayStatus>) => (status = { ...status, ...patch });

  setHandler(pathwayStatusQuery, () => status);

  /**
   * An Update whose rule runs as its validator (a refusal leaves no trace in history) and again in
   * the handler (two Updates may pass their validators before either handler runs); the body runs
   * as the one transition in progress (`busy`) and the caller gets the status it leaves.
   * `alreadyDone` answers a resent Update at once, without marking anything in progress.
   */
  function onUpdate<A>(
    update: UpdateDefinition<PathwayStatus, [A]>,
    check: (s: PathwayStatus, busy: string | null, a: A) => void,
    what: string,
    body: (a: A) => Promise<void>,
    alreadyDone: (a: A) => boolean = () => false,
  ): void {
    setHandler(
      update,
      async (a) => {
        check(status, busy, a);
        if (alreadyDone(a)) return status;
        busy = what;
        try {
          await body(a);
        } finally {
          busy = null;
        }
        return status;
      },
      { validator: (a) => check(status, busy, a) },
    );
  }

  onUpdate(scheduleUpdate, checkSchedule, 'being scheduled', async (s) => {
    await condition(() => intakeRecorded);
    const ids = await acts.scheduleExam({ requestId: input.requestId, site: s.site, aeTitle: s.aeTitle, scheduledAt: s.scheduledAt, by: s.by });
    set({
      state: PathwayState.Scheduled,
      attention: null,
      accessionNumber: ids.accessionNumber,
      studyInstanceUid: ids.studyInstanceUid,
      scheduled: { site: s.site, aeTitle: s.aeTitle, scheduledAt: s.scheduledAt, by: s.by },
    });
    await searchPriors(input.requestId, ids.studyInstanceUid, 'scheduled', status.timing?.searchPriors !== false);
  });

  onUpdate(
    claimReadingUpdate,
    checkClaim,
    'being claimed',
    async (r) => {
      await acts.claimReadingTask({ requestId: input.requestId, by: r.by });
      set({ reading: { ...status.reading!, claimedBy: r.by } });
    },
    (r) => status.reading!.claimedBy === r.by, // a resent claim by the holder
  );

  onUpdate(releaseReadingUpdate, checkRelease, 'being released', async (r) => {
    await acts.releaseReadingTask({ requestId: input.requestId, by: r.by, holder: status.reading!.claimedBy! });
    set({ reading: { ...status.reading!, claimedBy: null } });
  });

  onUpdate(signReportUpdate, checkSign, 'being signed', async (s) => {
    const report = await reportActs.signReport({
      requestId: input.requestId,
      by: s.by,
      findings: s.findings,
      conclusion: s.conclusion,
      technique: s.technique ?? null,
      signedAt: iso(now()),
    });
    set({ state: PathwayState.Reported, report });
  });

  onUpdate(changeRequestUpdate, checkChange, 'being changed', async (c) => {
    await condition(() => intakeRecorded);
    const changed = await acts.changeRequest({
      requestId: input.requestId,
      by: c.by,
      ...(c.priority !== undefined ? { priority: c.priority } : {}),
      ...(c.procedureCode !== undefined ? { procedureCode: c.procedureCode } : {}),
      ...(c.clinicalInformation !== undefined ? { clinicalInformation: c.clinicalInformation } : {}),
    });
    const r = status.reading;
    set({
      priority: changed.priority,
      // A warning still ahead under the new deadline fires again; an escalation already made stays made.
      reading: r && changed.reading ? { ...r, ...changed.reading, warned: r.warned && Date.parse(changed.reading.warnAt) <= now() } : r,
    });
    changes++;
  });

  setHandler(cancelSignal, (c) => {
    // The first cancellation wins; a resent one (HL7 retries) changes nothing.
    if (cancelRequested || status.state === PathwayState.Closed) return;
    cancelRequested = true;
    set({ cancelled: { ...c, at: iso(now()) } });
  });

  setHandler(acquisitionSignal, (e) => void events.push(e));

  /**
   * Waits until `ready()`, a cancellation, a continue-as-new hand-over, or `deadline` (ISO).
   * @returns true when `ready()` holds.
   */
  async function waitUntil(ready: () => boolean, deadline: string | null = null): Promise<boolean> {
    const wake = () => ready() || cancelRequested || workflowInfo().continueAsNewSuggested;
    if (deadline === null) await condition(wake);
    else {
      const left = Date.parse(deadline) - now();
      if (left > 0) await condition(wake, left);
    }
    return ready();
  }

  const interrupted = () => cancelRequested || workflowInfo().continueAsNewSuggested;

  async function mirror(step: string, patch: Partial<PathwayStatus>, detail: unknown = null, actor: string | null = null): Promise<void> {
    set(patch);
    await acts.recordProgress({ requestId: input.requestId, state: status.state, step, attention: status.attention, actor, detail });
  }

  /** Applies the acquisition events received so far, in order; each becomes a timeline entry. */
  async function applyAcquisitionEvents(): Promise<void> {
    while (events.length) {
      const e = events.shift()!;
      const a = status.acquisition;
      if (e.kind === 'mpps') {
        if (a.completedAt) continue; // late MPPS for a finished acquisition: nothing to change
        if (e.status === 'DISCONTINUED') {
          // The step was abandoned at the modality: back to scheduled, a coordinator decides (reschedule, cancel).
          await mirror(
            'mpps-discontinued',
            { state: PathwayState.Scheduled, attention: 'mpps-discontinued', acquisition: { ...a, mpps: { sopInstanceUid: e.sopInstanceUid, status: e.status, at: e.at } } },
            { mpps: e.sopInstanceUid },
          );
          continue;
        }
        const mpps = { sopInstanceUid: e.sopInstanceUid, status: e.status, at: e.at };
        const imagesGraceUntil = e.status === 'COMPLETED' && !a.study ? iso(now() + status.timing!.imagesGraceMinutes * MINUTE) : null;
        await mirror(
          e.status === 'COMPLETED' ? 'mpps-completed' : 'mpps-in-progress',
          { state: PathwayState.Acquiring, attention: null, acquisition: { ...a, mpps, imagesGraceUntil } },
          { mpps: e.sopInstanceUid },
        );
      } else {
        if (a.study && a.study.studyUid === e.studyUid) continue; // more images of the same study (a later stability)
        if (a.completedAt) continue;
        const mppsDone = a.mpps?.status === 'COMPLETED';
        const mppsGraceUntil = mppsDone ? null : iso(now() + status.timing!.mppsGraceMinutes * MINUTE);
        await mirror(
          'images-arrived',
          { state: PathwayState.Acquiring, attention: null, acquisition: { ...a, study: { studyUid: e.studyUid, at: e.at }, mppsGraceUntil, imagesGraceUntil: null } },
          { studyUid: e.studyUid, before: mppsDone ? null : 'mpps' },
          e.by ?? null,
        );
        await searchPriors(input.requestId, e.studyUid, 'study', status.timing?.searchPriors !== false);
      }
    }
  }

  /** received / scheduled / acquiring: until the study is there and MPPS completed (or its grace ran out). */
  async function acquisition(): Promise<void> {
    for (;;) {
      await applyAcquisitionEvents();
      const a = status.acquisition;
      const mppsDone = a.mpps?.status === 'COMPLETED';
      if (a.study && (mppsDone || (a.mppsGraceUntil && Date.parse(a.mppsGraceUntil) <= now()))) break;
      if (mppsDone && !a.study && a.imagesGraceUntil && Date.parse(a.imagesGraceUntil) <= now() && status.attention !== 'mpps-without-images') {
        await mirror('mpps-without-images', { attention: 'mpps-without-images' }, { mpps: a.mpps!.sopInstanceUid });
      }
      const deadline = a.study && !mppsDone ? a.mppsGraceUntil : mppsDone && !a.study && status.attention !== 'mpps-without-images' ? a.imagesGraceUntil : null;
      await waitUntil(() => events.length > 0, deadline);
      if (interrupted()) return;
    }
    const a = status.acquisition;
    const findings = a.mpps?.status === 'COMPLETED' ? [] : ['images-without-mpps'];
    await acts.completeAcquisition({ requestId: input.requestId, studyUid: a.study!.studyUid, mppsSopInstanceUid: a.mpps?.sopInstanceUid ?? null, findings });
    set({
      state: PathwayState.AwaitingDose,
      attention: null,
      acquisition: { ...a, completedAt: iso(now()) },
      dose: { deadline: iso(now() + status.timing!.doseWaitMinutes * MINUTE), found: null },
    });
  }

  /** awaiting-dose: looks for the exam's dose data until found or the deadline, then records a missing-dose finding. */
  async function dose(): Promise<void> {
    const studyUid = status.acquisition.study!.studyUid;
    for (;;) {
      const found = await acts.checkDose({ requestId: input.requestId, studyUid });
      if (found.found) {
        set({ dose: { ...status.dose, found: true } });
        break;
      }
      const deadline = Date.parse(status.dose.deadline!);
      if (now() >= deadline) {
        await acts.recordFinding({ requestId: input.requestId, kind: 'missing-dose', detail: { studyUid, waitedMinutes: status.timing!.doseWaitMinutes } });
        set({ dose: { ...status.dose, found: false } });
        break;
      }
      await waitUntil(() => false, iso(Math.min(deadline, now() + status.timing!.dosePollMinutes * MINUTE)));
      if (interrupted()) return;
    }
    const task = await acts.openReadingTask({ requestId: input.requestId, priority: status.priority, openedAt: iso(now()), doseFound: status.dose.found === true });
    set({ state: PathwayState.Reading, reading: { ...task, claimedBy: null, warned: false, breached: false } });
  }

  /** reading: until signed; the SLA warning and the breach escalation fire on their own timers. */
  async function reading(): Promise<void> {
    for (;;) {
      const r = status.reading!;
      if (!r.warned && Date.parse(r.warnAt) <= now()) {
        await acts.recordSla({ requestId: input.requestId, kind: 'warning', pool: r.pool, dueAt: r.dueAt, claimedBy: r.claimedBy });
        set({ reading: { ...status.reading!, warned: true } });
        continue;
      }
      if (!r.breached && Date.parse(r.dueAt) <= now()) {
        await acts.recordSla({ requestId: input.requestId, kind: 'breach', pool: r.pool, dueAt: r.dueAt, claimedBy: r.claimedBy });
        set({ reading: { ...status.reading!, warned: true, breached: true } });
        continue;
      }
      const next = !r.warned ? r.warnAt : !r.breached ? r.dueAt : null;
      const seen = changes;
      await waitUntil(() => status.state !== PathwayState.Reading || changes !== seen, next);
      if (status.state !== PathwayState.Reading || interrupted()) return;
    }
  }

  /** reported: the report goes to the referrer's system until it answers AA (backoff visible in the status). */
  async function results(): Promise<void> {
    const t = status.timing!;
    let results = status.results ?? { attempts: 0, lastError: null, deliveredAt: null, destination: null };
    for (;;) {
      try {
        const done = await deliveryActs.deliverResults({ requestId: input.requestId, attempt: results.attempts + 1 });
        results = { ...results, attempts: results.attempts + 1, lastError: null, deliveredAt: iso(now()), destination: done.destination };
        set({ state: PathwayState.ResultsDelivered, attention: null, results });
        return;
      } catch (e) {
        const cause = e instanceof ActivityFailure && e.cause instanceof ApplicationFailure ? e.cause : null;
        results = { ...results, attempts: results.attempts + 1, lastError: cause?.message ?? String((e as Error).message) };
        const backoff = Math.min(t.resultsRetryInitialSeconds * 2 ** (results.attempts - 1), t.resultsRetryMaxSeconds) * 1000;
        // After a few failures a coordinator should know the referrer's system is not taking results.
        const attention: Attention | null = results.attempts >= 3 ? 'results-undeliverable' : null;
        if (attention !== status.attention) await mirror('results-undeliverable', { attention, results }, { attempts: results.attempts, lastError: results.lastError });
        else set({ results });
        await waitUntil(() => false, iso(now() + backoff));
        if (interrupted()) return;
      }
    }
  }

  if (!input.resume) {
    set({ timing: await acts.recordIntake({ requestId: input.requestId, createdBy: input.createdBy, priority: input.priority }) });
  }
  intakeRecorded = true;

  while (!cancelRequested) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof examPathwayWorkflow>({ ...input, resume: status });
    }
    switch (status.state) {
      case PathwayState.Received:
      case PathwayState.Scheduled:
      case PathwayState.Acquiring:
        await acquisition();
        break;
      case PathwayState.AwaitingDose:
        await dose();
        break;
      case PathwayState.Reading:
        await reading();
        break;
      case PathwayState.Reported:
        await results();
        break;
      case PathwayState.ResultsDelivered:
        await condition(allHandlersFinished);
        await acts.closePathway({ requestId: input.requestId });
        set({ state: PathwayState.Closed });
        return status;
      default:
        return status;
    }
  }

  // An Update in flight (a schedule publishing its worklist item, a claim) finishes first, so
  // what it wrote is undone below.
  await condition(allHandlersFinished);
  await acts.cancelExam({ requestId: input.requestId, by: status.cancelled?.by ?? null, reason: status.cancelled?.reason ?? null });
  set({ state: PathwayState.Cancelled, attention: null });
  return status;
}
