import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PathwayActivities } from '../../activities/pathway.activities';
import { cancelSignal, pathwayStatusQuery, scheduleUpdate } from './exam-pathway.signals';
import {
  ExamPathwayInput,
  PATHWAY_INVALID_INPUT,
  PATHWAY_ROLE_REFUSED,
  PATHWAY_WRONG_STATE,
  PathwayState,
  PathwayStatus,
  SCHEDULE_ROLES,
  ScheduleInput,
} from './exam-pathway.types';

// Mirror writes touch only our own database: retry for ever, the timeline must not have holes.
// A refusal the activity marks non-retryable (unknown AE) still fails at once.
const acts = proxyActivities<PathwayActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

function refuse(type: string, message: string, details: unknown[] = []): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details });
}

/** `busy` names a transition in progress that the state does not show yet. */
function checkSchedule(status: PathwayStatus, busy: 'being scheduled' | 'being cancelled' | null, s: ScheduleInput): void {
  if (!s.roles.some((r) => SCHEDULE_ROLES.includes(r))) refuse(PATHWAY_ROLE_REFUSED, `schedule requires one of the roles: ${SCHEDULE_ROLES.join(', ')}`);
  // Rescheduling (changing a slot) is a later step; until then only a received request is scheduled.
  if (status.state !== PathwayState.Received || busy) {
    refuse(PATHWAY_WRONG_STATE, `schedule is possible in state "${PathwayState.Received}", the request is ${busy ?? `"${status.state}"`}`);
  }
  if (!s.site?.trim()) refuse(PATHWAY_INVALID_INPUT, 'site must not be empty', [{ field: 'site' }]);
  if (!s.aeTitle?.trim()) refuse(PATHWAY_INVALID_INPUT, 'aeTitle must not be empty', [{ field: 'aeTitle' }]);
  if (Number.isNaN(Date.parse(s.scheduledAt))) refuse(PATHWAY_INVALID_INPUT, `scheduledAt "${s.scheduledAt}" is not an ISO 8601 date-time`, [{ field: 'scheduledAt' }]);
}

/**
 * One exam's pathway, from the request to the delivered result. Implemented so far: intake (the
 * request row exists; the workflow records that it owns it), scheduling (an Update: the
 * coordinator learns at once whether it was accepted) and cancellation (a signal, also sent by
 * HL7 ORC-1=CA). Acquisition, dose, reading, report and results are the next steps; until then a
 * scheduled pathway waits for cancellation.
 *
 * continueAsNew-safe by construction: everything the workflow knows is in `status` (a plain,
 * serialisable value), which the next run receives as `input.resume`; intake is not recorded
 * again on a resumed run, and handlers are drained (`allHandlersFinished`) before the hand-over so
 * that no accepted Update is lost. Pathways wait for weeks (acquisition, reading), so the history
 * must stay short: later steps that loop (SLA reminders) must keep checking `continueAsNewSuggested`.
 */
export async function examPathwayWorkflow(input: ExamPathwayInput): Promise<PathwayStatus> {
  let status: PathwayStatus = input.resume ?? {
    requestId: input.requestId,
    state: PathwayState.Received,
    accessionNumber: null,
    studyInstanceUid: null,
    scheduled: null,
    cancelled: null,
  };
  let scheduling = false;
  // Intake is mirrored before anything else: an Update arriving while it runs waits for it, or
  // the intake's "received" could land after (and over) the schedule's "scheduled".
  let intakeRecorded = Boolean(input.resume);
  let cancelRequested = status.state === PathwayState.Cancelled;
  const busy = () => (cancelRequested ? 'being cancelled' : scheduling ? 'being scheduled' : null);
  setHandler(pathwayStatusQuery, () => status);

  setHandler(
    scheduleUpdate,
    async (s) => {
      // Checked again here: two updates may pass their validators before either handler runs.
      checkSchedule(status, busy(), s);
      scheduling = true;
      try {
        await condition(() => intakeRecorded);
        const ids = await acts.scheduleExam({ requestId: input.requestId, site: s.site, aeTitle: s.aeTitle, scheduledAt: s.scheduledAt, by: s.by });
        status = {
          ...status,
          state: PathwayState.Scheduled,
          accessionNumber: ids.accessionNumber,
          studyInstanceUid: ids.studyInstanceUid,
          scheduled: { site: s.site, aeTitle: s.aeTitle, scheduledAt: s.scheduledAt, by: s.by },
        };
      } finally {
        scheduling = false;
      }
      return status;
    },
    { validator: (s) => checkSchedule(status, busy(), s) },
  );

  setHandler(cancelSignal, (c) => {
    // The first cancellation wins; a resent one (HL7 retries) changes nothing.
    if (cancelRequested || status.state === PathwayState.Closed) return;
    cancelRequested = true;
    status = { ...status, cancelled: { ...c, at: new Date().toISOString() } };
  });

  if (!input.resume) await acts.recordIntake({ requestId: input.requestId, createdBy: input.createdBy, priority: input.priority });
  intakeRecorded = true;

  for (;;) {
    await condition(() => cancelRequested || workflowInfo().continueAsNewSuggested);
    if (cancelRequested) break;
    await condition(allHandlersFinished);
    await continueAsNew<typeof examPathwayWorkflow>({ ...input, resume: status });
  }

  // A schedule Update in flight finishes first, so the worklist item it publishes is removed below.
  await condition(allHandlersFinished);
  await acts.cancelExam({ requestId: input.requestId, by: status.cancelled?.by ?? null, reason: status.cancelled?.reason ?? null });
  status = { ...status, state: PathwayState.Cancelled };
  return status;
}
