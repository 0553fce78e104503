/**
 * The forwarding workflow's contract (send a study to a configured destination, durably): its
 * input and progress, its query, its workflow id and the activities it calls. Imports nothing but
 * `@temporalio/workflow`; code outside this folder reaches it as `@krypton/workflows/routing`.
 */
import { defineQuery } from '@temporalio/workflow';

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
}

export type ForwardState = 'running' | 'waiting-for-destination' | 'completed' | 'completed-with-failures' | 'failed';

export interface ForwardProgress {
  readonly state: ForwardState;
  readonly total: number;
  readonly sent: number;
  readonly refused: number;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextRetryAt: string | null;
}

/** What one sending activity reports back. */
export interface ForwardBatchResult {
  readonly total: number;
  readonly sent: number;
  readonly refused: number;
  readonly remaining: number;
}

// ---- Query, workflow id

export const forwardProgressQuery = defineQuery<ForwardProgress>('progress');

/** Deterministic per request: the caller passes a unique request id, so a resent POST is idempotent. */
export function forwardWorkflowId(studyUid: string, destination: string, requestId: string): string {
  return `forward-${destination}-${studyUid}-${requestId}`;
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
}

export interface ForwardBatchInput {
  readonly jobId: string;
  readonly studyUid: string;
  readonly destination: string;
}

export interface ForwardActivities {
  openForward(input: OpenForwardInput): Promise<ForwardBatchResult>;
  forwardBatch(input: ForwardBatchInput): Promise<ForwardBatchResult>;
  recordForwardState(jobId: string, state: ForwardState, lastError: string | null): Promise<void>;
}
