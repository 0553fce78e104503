import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { studyStableSignal, studyStatusQuery, type CatalogActivities, type StudyLifecycleInput, type StudyStableEvent } from './contract';

const { markStudyStable } = proxyActivities<CatalogActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

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
    await markStudyStable(input.studyUid);
    stableCount += 1;
    lastStableAt = event.at;
    // Long-lived studies keep their history short; pending signals are carried by draining first.
    if (workflowInfo().continueAsNewSuggested && pending.length === 0) {
      await continueAsNew<typeof studyLifecycleWorkflow>({ studyUid: input.studyUid, stableCount });
    }
  }
}
