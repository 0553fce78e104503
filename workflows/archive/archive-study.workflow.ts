import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { type ArchiveActivities, archiveProgressQuery, ArchiveStudyInput, ArchiveStudyPlan, ArchiveStudyState, recallSignal, replanSignal } from './contract';

const { planArchive, deleteStudyIfDue } = proxyActivities<ArchiveActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
// Moving a study copies every object (and compresses it): long, so it heartbeats nothing but gets time.
const { moveStudyToArchive, recallStudy } = proxyActivities<ArchiveActivities>({
  startToCloseTimeout: '2 hours',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/**
 * Timers longer than this are cut, and the plan is made again when they fire: the policy or the
 * last access may have changed in between without a signal (a configuration edit), and one timer
 * per study per month is cheap.
 */
const MAX_SLEEP_MS = 30 * 86_400_000;

/**
 * One study's archive lifecycle (issue #13): waits (durable timers of months and years) until its
 * policy moves it to the archive tier, brings it back when it is read there, and deletes it when
 * its retention has run out — never while a legal hold is set. Every decision is planned by an
 * activity from the database (last access, hold, policy), so the workflow holds no copy of them.
 */
export async function archiveStudyWorkflow(input: ArchiveStudyInput): Promise<'deleted' | 'gone'> {
  let state: ArchiveStudyState = 'planning';
  let plan: ArchiveStudyPlan | null = null;
  let wakeAt: string | null = null;
  let recallWanted = false;
  let replan = false;
  setHandler(recallSignal, () => void (recallWanted = true));
  setHandler(replanSignal, () => void (replan = true));
  setHandler(archiveProgressQuery, () => ({ studyUid: input.studyUid, state, plan, wakeAt }));

  for (;;) {
    state = 'planning';
    replan = false;
    plan = await planArchive(input.studyUid);
    if (plan.tier === 'deleted') {
      state = 'deleted';
      return 'gone';
    }
    const now = Date.now();
    const due = (iso: string | null) => iso !== null && Date.parse(iso) <= now;
    if (plan.tier !== 'archive') recallWanted = false;
    if (recallWanted) {
      state = 'recalling';
      await recallStudy(input.studyUid);
      recallWanted = false;
      continue;
    }
    if (due(plan.deleteAt) && !plan.legalHold) {
      state = 'deleting';
      if ((await deleteStudyIfDue(input.studyUid)) === 'deleted') {
        state = 'deleted';
        return 'deleted';
      }
      continue; // held or no longer due (read meanwhile): plan again
    }
    if (plan.tier === 'primary' && due(plan.tierAt)) {
      state = 'tiering';
      await moveStudyToArchive(input.studyUid);
      continue;
    }
    const next = [plan.tier === 'primary' ? plan.tierAt : null, plan.legalHold ? null : plan.deleteAt]
      .filter((d): d is string => d !== null)
      .map((d) => Date.parse(d) - now)
      .filter((ms) => ms > 0);
    const sleep = next.length ? Math.min(MAX_SLEEP_MS, ...next) : undefined;
    state = plan.legalHold ? 'held' : 'waiting';
    wakeAt = sleep === undefined ? null : new Date(now + sleep).toISOString();
    await condition(() => replan || recallWanted, sleep ?? MAX_SLEEP_MS);
    wakeAt = null;
    // Signals that arrived during the wait are handled first: continue-as-new would drop them.
    if (workflowInfo().continueAsNewSuggested && !recallWanted && !replan) await continueAsNew<typeof archiveStudyWorkflow>(input);
  }
}
