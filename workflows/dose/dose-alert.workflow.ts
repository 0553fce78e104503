import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  DOSE_ALERT_ROLE_REFUSED,
  DOSE_ALERT_WRONG_STATE,
  DoseAlertInput,
  doseAlertQuery,
  DoseAlertState,
  DoseAlertView,
  FOLLOW_UP_ROLES,
  followUpUpdate,
  REVIEW_ROLES,
  reviewUpdate,
  type DoseAlertActivities,
} from './contract';

// Bookkeeping touches only our own database: retry for ever, the audit trail must not have holes.
const acts = proxyActivities<DoseAlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

function requireRole(roles: readonly string[], allowed: readonly string[], step: string): void {
  if (!roles.some((r) => allowed.includes(r))) {
    throw ApplicationFailure.create({ type: DOSE_ALERT_ROLE_REFUSED, message: `${step} requires one of the roles: ${allowed.join(', ')}`, nonRetryable: true });
  }
}

function requireState(actual: DoseAlertState, expected: DoseAlertState, step: string): void {
  if (actual !== expected) {
    throw ApplicationFailure.create({ type: DOSE_ALERT_WRONG_STATE, message: `${step} is possible in state "${expected}", the alert is "${actual}"`, nonRetryable: true });
  }
}

/**
 * The life of one over-exposure alert: open → physicist review → patient follow-up recorded →
 * closed. Answers arrive as Updates, so the caller learns at once whether they were accepted
 * (validators refuse a wrong role or a wrong state without touching history). While an answer
 * is due, a reminder goes out every `reminderEveryMs`. Every transition is mirrored in
 * PostgreSQL by an activity, which is the audit trail the API lists.
 */
export async function doseAlertWorkflow(input: DoseAlertInput): Promise<DoseAlertView> {
  let view: DoseAlertView = input.resume ?? { alertId: input.alertId, state: 'open', review: null, followUp: null, reminders: 0 };
  setHandler(doseAlertQuery, () => view);

  setHandler(
    reviewUpdate,
    async (r) => {
      // Checked again here: two updates may pass their validators before either handler runs.
      requireState(view.state, 'open', 'review');
      const review = { by: r.by, analysis: r.analysis, followUpRequired: r.followUpRequired, estimatedSkinDose_Gy: r.estimatedSkinDose_Gy ?? null, at: new Date().toISOString() };
      view = { ...view, state: 'reviewed', review };
      await acts.recordDoseAlertTransition({ alertId: input.alertId, state: 'reviewed', action: 'reviewed', actor: r.by, detail: review });
      return view;
    },
    {
      validator: (r) => {
        requireRole(r.roles, REVIEW_ROLES, 'review');
        requireState(view.state, 'open', 'review');
        if (!r.analysis?.trim()) throw ApplicationFailure.create({ type: 'DoseAlertInvalidInput', message: 'analysis must not be empty', nonRetryable: true });
      },
    },
  );

  setHandler(
    followUpUpdate,
    async (f) => {
      requireState(view.state, 'reviewed', 'follow-up');
      const followUp = { by: f.by, note: f.note, action: f.action, at: new Date().toISOString() };
      view = { ...view, state: 'followed-up', followUp };
      await acts.recordDoseAlertTransition({ alertId: input.alertId, state: 'followed-up', action: 'followed-up', actor: f.by, detail: followUp });
      return view;
    },
    {
      validator: (f) => {
        requireRole(f.roles, FOLLOW_UP_ROLES, 'follow-up');
        requireState(view.state, 'reviewed', 'follow-up');
        if (!f.action?.trim()) throw ApplicationFailure.create({ type: 'DoseAlertInvalidInput', message: 'action must not be empty', nonRetryable: true });
      },
    },
  );

  if (!input.resume) await acts.recordDoseAlertTransition({ alertId: input.alertId, state: 'open', action: 'opened', actor: null, detail: null });

  while (view.state !== 'closed') {
    if (view.state === 'followed-up') {
      await condition(allHandlersFinished);
      view = { ...view, state: 'closed' };
      await acts.recordDoseAlertTransition({ alertId: input.alertId, state: 'closed', action: 'closed', actor: null, detail: null });
      break;
    }
    const waitingIn = view.state;
    const answered = await condition(() => view.state !== waitingIn, input.reminderEveryMs);
    if (!answered) {
      view = { ...view, reminders: view.reminders + 1 };
      await acts.sendDoseAlertReminder({ alertId: input.alertId, waitingFor: waitingIn === 'open' ? 'review' : 'follow-up', count: view.reminders });
    }
    // An alert left unanswered for months keeps reminding; keep its history short.
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof doseAlertWorkflow>({ ...input, resume: view });
    }
  }
  return view;
}
