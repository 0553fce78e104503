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
