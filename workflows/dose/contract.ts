/**
 * The dose alert's contract: its input, view and states, its Updates and query, its workflow id,
 * the failure types the API maps, and the activities it calls. Imports nothing but
 * `@temporalio/workflow`; code outside this folder reaches it as `@krypton/workflows/dose`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type DoseAlertState = 'open' | 'reviewed' | 'followed-up' | 'closed';

export interface DoseAlertInput {
  readonly alertId: string;
  /** While the alert waits for a review or a follow-up, a reminder goes out this often. */
  readonly reminderEveryMs: number;
  /** Carried over by continueAsNew; absent on the first run. */
  readonly resume?: DoseAlertView;
}

export interface ReviewInput {
  /** Who is answering, as the API authenticated them. */
  readonly by: string;
  readonly roles: readonly string[];
  readonly analysis: string;
  /** The physicist's conclusion: does the patient need clinical follow-up? */
  readonly followUpRequired: boolean;
  readonly estimatedSkinDose_Gy?: number | null;
}

export interface FollowUpInput {
  readonly by: string;
  readonly roles: readonly string[];
  readonly note: string;
  /** e.g. "patient informed", "dermatology consultation at 2-4 weeks", "no follow-up needed". */
  readonly action: string;
}

export interface RecordedReview extends Omit<ReviewInput, 'roles'> {
  readonly at: string;
}

export interface RecordedFollowUp extends Omit<FollowUpInput, 'roles'> {
  readonly at: string;
}

export interface DoseAlertView {
  readonly alertId: string;
  readonly state: DoseAlertState;
  readonly review: RecordedReview | null;
  readonly followUp: RecordedFollowUp | null;
  readonly reminders: number;
}

/** Who may answer each step. Checked again by the workflow: the API is not the only client. */
export const REVIEW_ROLES: readonly string[] = ['physicist'];
export const FOLLOW_UP_ROLES: readonly string[] = ['physicist', 'radiologist', 'admin'];

/** Failure types the API maps to HTTP statuses. */
export const DOSE_ALERT_ROLE_REFUSED = 'DoseAlertRoleRefused';
export const DOSE_ALERT_WRONG_STATE = 'DoseAlertWrongState';

// ---- Updates, query, workflow id

export const reviewUpdate = defineUpdate<DoseAlertView, [ReviewInput]>('review');
export const followUpUpdate = defineUpdate<DoseAlertView, [FollowUpInput]>('followUp');
export const doseAlertQuery = defineQuery<DoseAlertView>('doseAlert');

/** One workflow per alert, and the alert id is derived from what crossed the threshold. */
export function doseAlertWorkflowId(alertId: string): string {
  return `dose-alert-${alertId}`;
}

// ---- How code outside workflows/ starts the workflow

export type DoseAlertWorkflow = (input: DoseAlertInput) => Promise<DoseAlertView>;

/** Typed reference to start the workflow; its name is the workflow type recorded in histories (see workflows/contracts.spec.ts). */
export const doseAlertRef: DoseAlertWorkflow = function doseAlertWorkflow() {
  throw new Error('doseAlertWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/dose)

export interface DoseAlertTransitionInput {
  readonly alertId: string;
  readonly state: DoseAlertState;
  readonly action: 'opened' | 'reviewed' | 'followed-up' | 'closed';
  readonly actor: string | null;
  readonly detail: unknown;
}

export interface DoseAlertReminderInput {
  readonly alertId: string;
  readonly waitingFor: 'review' | 'follow-up';
  readonly count: number;
}

export interface DoseAlertActivities {
  recordDoseAlertTransition(input: DoseAlertTransitionInput): Promise<void>;
  sendDoseAlertReminder(input: DoseAlertReminderInput): Promise<void>;
}
