import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DoseAlertView, FollowUpInput, ReviewInput } from './dose-alert.types';

export const reviewUpdate = defineUpdate<DoseAlertView, [ReviewInput]>('review');
export const followUpUpdate = defineUpdate<DoseAlertView, [FollowUpInput]>('followUp');
export const doseAlertQuery = defineQuery<DoseAlertView>('doseAlert');

/** One workflow per alert, and the alert id is derived from what crossed the threshold. */
export function doseAlertWorkflowId(alertId: string): string {
  return `dose-alert-${alertId}`;
}
