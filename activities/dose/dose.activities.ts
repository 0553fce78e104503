import { Context } from '@temporalio/activity';
import type { DoseAlertStore } from '@krypton/dose-registry';
import type { DoseAlertActivities, DoseAlertState } from '@krypton/workflows/dose';

/** Retries of one activity share its run id and activity id: that pair is the audit row's key. */
function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.workflowType}:${info.activityId}`;
}

/**
 * Mirrors each dose-alert transition into PostgreSQL. The reminder is recorded in the audit
 * trail (and counted on the alert, which the API lists); there is no notification connector in
 * the hub yet, so delivery to the physicists' inbox is the audit row plus the alert list.
 */
export function createDoseAlertActivities(store: DoseAlertStore): DoseAlertActivities {
  return {
    async recordDoseAlertTransition({ alertId, state, action, actor, detail }) {
      await store.transition(alertId, idempotencyKey(), state, action, actor, detail);
    },
    async sendDoseAlertReminder({ alertId, waitingFor, count }) {
      const state: DoseAlertState = waitingFor === 'review' ? 'open' : 'reviewed';
      await store.transition(alertId, idempotencyKey(), state, 'reminder', null, { waitingFor, count });
    },
  };
}
