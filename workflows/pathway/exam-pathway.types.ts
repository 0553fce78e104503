// Relative import on purpose: the `@krypton/requests` alias would pull the library's index (Nest,
// TypeORM) into the workflow bundle; this file has no imports of its own.
import { PathwayState } from '../../libs/requests/src/pathway-state';

export { PathwayState };

export type Priority = 'routine' | 'urgent' | 'emergency';

export interface ExamPathwayInput {
  readonly requestId: string;
  readonly priority: Priority;
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

/**
 * A change of the order while it is in flight: a new priority (the reading deadline follows), a
 * procedure code (a coordinator mapping an unmapped code, or the placer's correction), or new
 * clinical information. At least one field.
 */
export interface ChangeInput {
  readonly by: string;
  readonly roles: readonly string[];
  readonly priority?: Priority;
  readonly procedureCode?: string;
  readonly clinicalInformation?: string;
}

export interface CancelInput {
  readonly by: string;
  readonly reason: string | null;
}

/** What the acquisition matcher (worker) tells the pathway; also sent when a coordinator attaches a study by hand. */
export type AcquisitionEvent =
  | { readonly kind: 'mpps'; readonly sopInstanceUid: string; readonly status: 'IN PROGRESS' | 'COMPLETED' | 'DISCONTINUED'; readonly at: string }
  | { readonly kind: 'study'; readonly studyUid: string; readonly at: string; readonly by?: string };

/** A radiologist acting on the reading task; pools and roles as the API authenticated them. */
export interface ReaderInput {
  readonly by: string;
  readonly roles: readonly string[];
  readonly pools: readonly string[];
}

export interface SignInput extends ReaderInput {
  readonly findings: string;
  readonly conclusion: string;
  readonly technique?: string;
}

export interface ScheduledSlot {
  readonly site: string;
  readonly aeTitle: string;
  readonly scheduledAt: string;
  readonly by: string;
}

/** Why a coordinator must act; null when the pathway is waiting on nobody in particular. */
export type Attention = 'to-schedule' | 'mpps-discontinued' | 'mpps-without-images' | 'results-undeliverable';

/** Waits and deadlines fixed for the pathway when intake runs (like a contract), in minutes. */
export interface PathwayTiming {
  readonly mppsGraceMinutes: number;
  readonly imagesGraceMinutes: number;
  readonly doseWaitMinutes: number;
  readonly dosePollMinutes: number;
  readonly resultsRetryInitialSeconds: number;
  readonly resultsRetryMaxSeconds: number;
}

export interface AcquisitionStatus {
  readonly mpps: { readonly sopInstanceUid: string; readonly status: string; readonly at: string } | null;
  readonly study: { readonly studyUid: string; readonly at: string } | null;
  /** When images came first: the time after which the pathway goes on without MPPS COMPLETED. */
  readonly mppsGraceUntil: string | null;
  /** When MPPS COMPLETED came first: the time after which a coordinator is asked. */
  readonly imagesGraceUntil: string | null;
  readonly completedAt: string | null;
}

export interface ReadingStatus {
  readonly pool: string;
  readonly openedAt: string;
  readonly warnAt: string;
  readonly dueAt: string;
  readonly claimedBy: string | null;
  readonly warned: boolean;
  readonly breached: boolean;
}

export interface ReportStatus {
  readonly reportId: string;
  readonly version: number;
  readonly sopInstanceUid: string | null;
  readonly signedBy: string;
  readonly signedAt: string;
}

export interface ResultsStatus {
  readonly attempts: number;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  /** What delivery consisted of: an ORU acknowledged by `destination`, or none configured (REST only). */
  readonly destination: string | null;
}

export interface PathwayStatus {
  readonly requestId: string;
  readonly state: PathwayState;
  readonly priority: Priority;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly scheduled: ScheduledSlot | null;
  readonly cancelled: (CancelInput & { readonly at: string }) | null;
  readonly attention: Attention | null;
  readonly timing: PathwayTiming | null;
  readonly acquisition: AcquisitionStatus;
  readonly dose: { readonly deadline: string | null; readonly found: boolean | null };
  readonly reading: ReadingStatus | null;
  readonly report: ReportStatus | null;
  readonly results: ResultsStatus | null;
}

/** A pathway just received: waiting to be scheduled. */
export function initialPathwayStatus(requestId: string, priority: Priority): PathwayStatus {
  return {
    requestId,
    state: PathwayState.Received,
    priority,
    accessionNumber: null,
    studyInstanceUid: null,
    scheduled: null,
    cancelled: null,
    attention: 'to-schedule',
    timing: null,
    acquisition: { mpps: null, study: null, mppsGraceUntil: null, imagesGraceUntil: null, completedAt: null },
    dose: { deadline: null, found: null },
    reading: null,
    report: null,
    results: null,
  };
}

/** What the scheduling activity allocated (stable across retries). */
export interface ExamIdentifiers {
  readonly accessionNumber: string;
  readonly studyInstanceUid: string;
}

/** Who may schedule, cancel by hand, release someone else's task. Checked again by the workflow: the API is not the only client. */
export const SCHEDULE_ROLES: readonly string[] = ['coordinator', 'admin'];
export const READ_ROLES: readonly string[] = ['radiologist'];
/** Who may change a request: coordinators, the referrer, and the placer's system (HL7 ORC-1=XO, role `placer`). */
export const CHANGE_ROLES: readonly string[] = ['coordinator', 'admin', 'referrer', 'placer'];

/** Failure types the API maps to HTTP statuses. */
export const PATHWAY_WRONG_STATE = 'PathwayWrongState';
export const PATHWAY_ROLE_REFUSED = 'PathwayRoleRefused';
export const PATHWAY_INVALID_INPUT = 'PathwayInvalidInput';
/** The reading task is claimed by somebody else (claim, release, sign). */
export const READING_TASK_TAKEN = 'ReadingTaskTaken';
/** The scheduling activity found the AE is not a modality of the site (configuration changed since the API checked). */
export const UNKNOWN_MODALITY_AE = 'UnknownModalityAe';
