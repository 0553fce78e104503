/**
 * The forwarding workflow's contract (send a study to a configured destination, durably): its
 * input and progress, its query, its workflow id and the activities it calls. Imports nothing but
 * `@temporalio/workflow`; code outside this folder reaches it as `@krypton/workflows/routing`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface ForwardOrigin {
  readonly protocolId: string;
  /** The version evaluated when the study became stable: a later publication does not change this routing. */
  readonly version: number;
  readonly rule: string;
}

/**
 * Who a protocol's actions are done by, as forward jobs, audit records, shares and prior searches
 * name it: `protocol:<id>@<version>` (the audit is searched by this name).
 */
export function protocolActor(origin: Pick<ForwardOrigin, 'protocolId' | 'version'>): string {
  return `protocol:${origin.protocolId}@${origin.version}`;
}

export interface ForwardStudyInput {
  readonly studyUid: string;
  /** Name of a configured destination AE. */
  readonly destination: string;
  readonly requestedBy: string | null;
  /** Give up (state "failed") when the destination has been unreachable this long. */
  readonly giveUpAfterMs?: number;
  /** Retry delays while the destination is down: first, and the ceiling of the exponential backoff. */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Set when a protocol started the routing. */
  readonly origin?: ForwardOrigin;
  /**
   * Task queue of the destination's own sending worker, whose activity slots are the destination's
   * concurrency cap. Absent (manual sends recorded before it existed): the workflow's queue.
   */
  readonly sendQueue?: string;
  /**
   * Batches sent at once, each over its own association (instances split by UID): the destination's
   * cap (its queue's slots) bounds them. 1 when absent.
   */
  readonly parallel?: number;
  /** Ask the destination for storage commitment before calling the copy delivered. */
  readonly commitment?: boolean;
  /** How long to wait for the N-EVENT-REPORT before the commitment counts as failed. */
  readonly commitmentTimeoutMs?: number;
  /** On a permanent failure, wait for an operator (retry, skip, reroute) instead of ending failed. */
  readonly operatorActions?: boolean;
}

export type ForwardState = 'running' | 'waiting-for-destination' | 'awaiting-commitment' | 'waiting-for-operator' | 'completed' | 'completed-with-failures' | 'failed' | 'skipped' | 'rerouted';

export interface ForwardProgress {
  readonly state: ForwardState;
  readonly total: number;
  readonly sent: number;
  readonly refused: number;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextRetryAt: string | null;
  /** committed / failed per the destination's N-EVENT-REPORT; absent without commitment. */
  readonly commitment?: { readonly transactionUid: string; readonly committed: number; readonly failed: number } | null;
  readonly reroutedTo?: string | null;
}

/** What one sending activity reports back. */
export interface ForwardBatchResult {
  readonly total: number;
  readonly sent: number;
  readonly refused: number;
  readonly remaining: number;
}

/** What the destination said about a storage commitment request; pending until its N-EVENT-REPORT. */
export interface CommitmentOutcome {
  readonly state: 'pending' | 'committed' | 'failed';
  readonly committed: number;
  readonly failed: number;
  readonly detail: string | null;
}

/** An operator's answer to a routing that needs one. */
export type OperatorAction = { readonly action: 'retry' } | { readonly action: 'skip'; readonly reason?: string } | { readonly action: 'reroute'; readonly destination: string };

// ---- Query, Update, workflow ids, task queues

export const forwardProgressQuery = defineQuery<ForwardProgress>('progress');

/** Retry, skip or reroute a routing that waits for an operator; refused in any other state. */
export const operatorActionUpdate = defineUpdate<ForwardProgress, [OperatorAction]>('operatorAction');

/** Deterministic per request: the caller passes a unique request id, so a resent POST is idempotent. */
export function forwardWorkflowId(studyUid: string, destination: string, requestId: string): string {
  return `forward-${destination}-${studyUid}-${requestId}`;
}

/**
 * A protocol's routing of a study to a destination: one id per (protocol, destination, study), so
 * a study that becomes stable again (late instances) starts a new run of the same job, which sends
 * only what the earlier runs did not (the items are recorded per job id).
 */
export function routeWorkflowId(protocolId: string, destination: string, studyUid: string): string {
  return `route-${protocolId}-${destination}-${studyUid}`;
}

/** The task queue of a destination's sending worker. */
export function destinationTaskQueue(baseQueue: string, destination: string): string {
  return `${baseQueue}-dest-${destination}`;
}

// ---- How code outside workflows/ starts the workflow

export type ForwardStudyWorkflow = (input: ForwardStudyInput) => Promise<ForwardProgress>;

/** Typed reference to start the workflow; its name is the workflow type recorded in histories (see workflows/contracts.spec.ts). */
export const forwardStudyRef: ForwardStudyWorkflow = function forwardStudyWorkflow() {
  throw new Error('forwardStudyWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/routing)

export interface OpenForwardInput {
  readonly jobId: string;
  readonly studyUid: string;
  readonly destination: string;
  readonly requestedBy: string | null;
  readonly origin?: ForwardOrigin;
}

export interface ForwardBatchInput {
  readonly jobId: string;
  readonly studyUid: string;
  readonly destination: string;
  /** This batch's share of the study when several are sent at once: part of parts (by SOP Instance UID). */
  readonly part?: number;
  readonly parts?: number;
}

export interface ForwardActivities {
  openForward(input: OpenForwardInput): Promise<ForwardBatchResult>;
  forwardBatch(input: ForwardBatchInput): Promise<ForwardBatchResult>;
  recordForwardState(jobId: string, state: ForwardState, lastError: string | null): Promise<void>;
  forgetRefused(jobId: string): Promise<void>;
  /** Sends the N-ACTION for what the job delivered; returns the Transaction UID to wait on. */
  requestCommitment(input: { jobId: string; destination: string }): Promise<string>;
  /** With waitMs, answers as soon as the report is filed, or pending after waitMs; without, at once. */
  commitmentOutcome(transactionUid: string, waitMs?: number): Promise<CommitmentOutcome>;
}

// ---- Protocol routing, called by the study lifecycle when a study becomes stable

/** One copy a protocol asks for, with what the routing workflow needs from the configuration. */
export interface PlannedRoute {
  readonly destination: string;
  readonly origin: ForwardOrigin;
  readonly commitment: boolean;
  readonly parallel: number;
  readonly commitmentTimeoutMs: number;
  readonly initialRetryMs: number;
  readonly maxRetryMs: number;
  readonly giveUpAfterMs: number;
}

/** A share a protocol asks for (with a site or a reading pool); libs/sharing decides on the patient's opposition when it is made. */
export interface PlannedShare {
  readonly studyUid: string;
  readonly to: { readonly site: string } | { readonly pool: string };
  readonly rights: 'view' | 'download';
  readonly origin: ForwardOrigin;
}

export interface RoutingPlan {
  readonly routes: PlannedRoute[];
  readonly fetchPriors: boolean;
  /** Absent in plans recorded before protocol shares were carried out. */
  readonly shares?: PlannedShare[];
  /**
   * The exam whose priors a protocol asks to fetch (the request the study was acquired for, found
   * as the pathway finds it); null when no request is known for the study (nothing to attach them to).
   */
  readonly priors?: { readonly requestId: string; readonly requestedBy: string } | null;
}

export interface RoutingActivities {
  /** Evaluates every live protocol on a stable study; idempotent (the decision is recorded per stability). */
  planRouting(studyUid: string, stableCount: number): Promise<RoutingPlan>;
  /** Creates a protocol's share through libs/sharing (grant, audit, notification); idempotent per protocol version, study and recipient. */
  shareByProtocol(share: PlannedShare): Promise<{ shareId: string | null; withheld?: string }>;
}
