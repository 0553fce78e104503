// Relative import on purpose: the `@krypton/requests` alias would pull the library's index (Nest,
// TypeORM) into the workflow bundle; this file has no imports of its own.
import { PathwayState } from '../../libs/requests/src/pathway-state';

export { PathwayState };

export interface ExamPathwayInput {
  readonly requestId: string;
  readonly priority: 'routine' | 'urgent' | 'emergency';
  /** Who created the request (principal name, or the HL7 sending application). */
  readonly createdBy: string | null;
  /** Carried over by continueAsNew; absent on the first run. */
  readonly resume?: PathwayStatus;
}

export interface ScheduleInput {
  /** Who is scheduling, as the API authenticated them. */
  readonly by: string;
  readonly roles: readonly string[];
  readonly site: string;
  /** A modality AE of `site` in the configuration (checked by the API and again by the activity). */
  readonly aeTitle: string;
  /** ISO 8601 with an offset. */
  readonly scheduledAt: string;
}

export interface CancelInput {
  readonly by: string;
  readonly reason: string | null;
}

export interface ScheduledSlot {
  readonly site: string;
  readonly aeTitle: string;
  readonly scheduledAt: string;
  readonly by: string;
}

export interface PathwayStatus {
  readonly requestId: string;
  readonly state: PathwayState;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly scheduled: ScheduledSlot | null;
  readonly cancelled: (CancelInput & { readonly at: string }) | null;
}

/** What the scheduling activity allocated (stable across retries). */
export interface ExamIdentifiers {
  readonly accessionNumber: string;
  readonly studyInstanceUid: string;
}

/** Who may schedule. Checked again by the workflow: the API is not the only client. */
export const SCHEDULE_ROLES: readonly string[] = ['coordinator', 'admin'];

/** Failure types the API maps to HTTP statuses. */
export const PATHWAY_WRONG_STATE = 'PathwayWrongState';
export const PATHWAY_ROLE_REFUSED = 'PathwayRoleRefused';
export const PATHWAY_INVALID_INPUT = 'PathwayInvalidInput';
/** The scheduling activity found the AE is not a modality of the site (configuration changed since the API checked). */
export const UNKNOWN_MODALITY_AE = 'UnknownModalityAe';
