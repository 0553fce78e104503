/**
 * The exam pathway's contract: what code outside this folder may know of the workflow — its input,
 * status and states, its signals, Updates and query, its workflow id, the failure types the API
 * maps, and the activities it calls. Imports nothing but `@temporalio/workflow`, so the API, the
 * gateways and libs/pathway reach it through the `@krypton/workflows/pathway` alias without pulling
 * in the workflow's implementation (the shape of Temporal's TypeScript samples, `shared.ts`).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * Where an exam is on its pathway; the API, the store and the coordinator lists share the same names.
 *
 * The order follows the pathway: intake → scheduling → acquisition → dose → reading → report →
 * results → closed; `cancelled` can be reached from any non-terminal state.
 */
export enum PathwayState {
  /** Intake done: the request is stored and waits for a coordinator to schedule it. */
  Received = 'received',
  /** Site, modality AE and time assigned; accession number and Study Instance UID allocated; worklist item published. */
  Scheduled = 'scheduled',
  /** MPPS in progress or images arriving (later step). */
  Acquiring = 'acquiring',
  /** Acquisition done; waiting for the dose report (later step). */
  AwaitingDose = 'awaiting-dose',
  /** A reading task is open in a pool (later step). */
  Reading = 'reading',
  /** Report signed (later step). */
  Reported = 'reported',
  /** Report delivered to the referrer (ORU^R01 acknowledged) (later step). */
  ResultsDelivered = 'results-delivered',
  Closed = 'closed',
  Cancelled = 'cancelled',
}

export const PATHWAY_STATES: readonly PathwayState[] = Object.values(PathwayState);

/** States after which nothing can change any more. */
export const TERMINAL_STATES: readonly PathwayState[] = [PathwayState.Closed, PathwayState.Cancelled];

export function isTerminal(state: PathwayState): boolean {
  return TERMINAL_STATES.includes(state);
}

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
  /**
   * `pathway.priors.enabled` at intake: the pathway searches priors on scheduling and arrival.
   * Absent in pathways started before it existed (they searched); a protocol's fetchPriors still asks.
   */
  readonly searchPriors?: boolean;
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

// ---- Signals, Updates, query, workflow id

/** An Update, not a signal: the coordinator learns at once whether the slot was accepted. Also reschedules before acquisition. */
export const scheduleUpdate = defineUpdate<PathwayStatus, [ScheduleInput]>('schedule');
/** Priority, procedure or clinical information changed before the report is signed; the caller learns at once. */
export const changeRequestUpdate = defineUpdate<PathwayStatus, [ChangeInput]>('changeRequest');
/** A signal: cancellation also arrives from HL7 (ORC-1=CA), which cannot wait for an answer. */
export const cancelSignal = defineSignal<[CancelInput]>('cancel');
/** MPPS and study arrival, from the acquisition matcher (or a coordinator attaching a study). */
export const acquisitionSignal = defineSignal<[AcquisitionEvent]>('acquisition');
/** Exclusive: two radiologists claiming at once, exactly one gets the task; the other learns it at once. */
export const claimReadingUpdate = defineUpdate<PathwayStatus, [ReaderInput]>('claimReading');
export const releaseReadingUpdate = defineUpdate<PathwayStatus, [ReaderInput]>('releaseReading');
/** Answers once the report is stored and attached to the study. */
export const signReportUpdate = defineUpdate<PathwayStatus, [SignInput]>('signReport');
export const pathwayStatusQuery = defineQuery<PathwayStatus>('status');

/** Derived from the request id, so a resent request (same placer order number) never starts a second pathway. */
export function pathwayWorkflowId(requestId: string): string {
  return `pathway-${requestId}`;
}

// ---- How code outside workflows/ starts the workflow

/** The workflow's signature: what a client passes to start it and what it returns. */
export type ExamPathwayWorkflow = (input: ExamPathwayInput) => Promise<PathwayStatus>;

/**
 * Typed reference to start the workflow (`client.workflow.start(examPathwayRef, { args: [input], … })`
 * checks the arguments). Its name is the workflow type recorded in histories: the worker registers
 * the implementation (exam-pathway.workflow.ts) under the same name; workflows/contracts.spec.ts
 * checks that the two agree.
 */
export const examPathwayRef: ExamPathwayWorkflow = function examPathwayWorkflow() {
  throw new Error('examPathwayWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/pathway)

export interface RecordIntakeInput {
  readonly requestId: string;
  readonly createdBy: string | null;
  readonly priority: string;
}

export interface ScheduleExamInput {
  readonly requestId: string;
  readonly site: string;
  readonly aeTitle: string;
  readonly scheduledAt: string;
  readonly by: string;
}

export interface CancelExamInput {
  readonly requestId: string;
  readonly by: string | null;
  readonly reason: string | null;
}

export interface ProgressInput {
  readonly requestId: string;
  readonly state: PathwayState;
  readonly step: string;
  readonly attention: string | null;
  readonly actor: string | null;
  readonly detail: unknown;
}

export interface SignReportActivityInput {
  readonly requestId: string;
  readonly by: string;
  readonly findings: string;
  readonly conclusion: string;
  readonly technique: string | null;
  /** Workflow time of the signature (deterministic, and what the report shows). */
  readonly signedAt: string;
}

export interface PathwayActivities {
  /** Records the intake and answers the pathway's timing (waits fixed for this pathway from now on). */
  recordIntake(input: RecordIntakeInput): Promise<PathwayTiming>;
  /** Allocates accession number and Study Instance UID, records the slot, publishes the worklist item. */
  scheduleExam(input: ScheduleExamInput): Promise<ExamIdentifiers>;
  /**
   * Applies a change of the order to the request, its worklist item and its reading task (whose
   * deadline follows a new priority, counted from when the task opened).
   */
  changeRequest(input: {
    requestId: string;
    by: string;
    priority?: Priority;
    procedureCode?: string;
    clinicalInformation?: string;
  }): Promise<{ priority: Priority; reading: { warnAt: string; dueAt: string } | null }>;
  /** A mirror-only step (acquisition progress, attention changes). */
  recordProgress(input: ProgressInput): Promise<void>;
  completeAcquisition(input: { requestId: string; studyUid: string; mppsSopInstanceUid: string | null; findings: readonly string[] }): Promise<void>;
  checkDose(input: { requestId: string; studyUid: string }): Promise<{ found: boolean }>;
  recordFinding(input: { requestId: string; kind: string; detail: unknown }): Promise<void>;
  /** Opens the reading task in the pool the procedure or site names; SLA deadlines from `openedAt` (workflow time). */
  openReadingTask(input: { requestId: string; priority: Priority; openedAt: string; doseFound: boolean }): Promise<{ pool: string; openedAt: string; warnAt: string; dueAt: string }>;
  claimReadingTask(input: { requestId: string; by: string }): Promise<void>;
  releaseReadingTask(input: { requestId: string; by: string; holder: string }): Promise<void>;
  recordSla(input: { requestId: string; kind: 'warning' | 'breach'; pool: string; dueAt: string; claimedBy: string | null }): Promise<void>;
  signReport(input: SignReportActivityInput): Promise<ReportStatus>;
  /** One delivery attempt (ORU^R01 until AA); the workflow retries with its own visible backoff. */
  deliverResults(input: { requestId: string; attempt: number }): Promise<{ destination: string | null }>;
  closePathway(input: { requestId: string }): Promise<void>;
  /** Removes the worklist item, withdraws the reading task and marks the request cancelled. */
  cancelExam(input: CancelExamInput): Promise<void>;
}
