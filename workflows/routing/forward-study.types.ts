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
