import type { AdtMessage } from '@krypton/hl7';

export const PATIENT_SINK = Symbol('PATIENT_SINK');

/** What one merge (one PID/MRG pair of an A40) changed. */
export interface MergeResult {
  /** `issuer|value` of MRG-1 (and `INS|…` for a prior INS). */
  readonly prior: readonly string[];
  readonly requests: readonly string[];
  readonly worklistItems: number;
  readonly studies: readonly string[];
  readonly doseRows: number;
  /** What became of the catalogue's prior patient row(s). */
  readonly priorPatients: readonly { readonly key: string; readonly fate: 'deleted' | 'kept'; readonly survivor: string }[];
}

export type AdtResult =
  | { readonly outcome: 'updated' | 'unchanged' | 'unknown patient'; readonly requests: readonly string[]; readonly worklistItems: number; readonly catalogPatients: number }
  | { readonly outcome: 'merged' | 'nothing to merge'; readonly merges: readonly MergeResult[] };

/**
 * Where the gateway applies patient updates and merges. An interface, like OrderSink, so that the
 * handling (journal, ACK codes) is unit-tested without PostgreSQL. Applying must be idempotent: a
 * resent message (new MSH-10 after a lost ACK) reaches it again and must change nothing more.
 *
 * Implementations throw Hl7Error for a message that is wrong (AE), anything else for a failure on
 * the hub's side (AR, the sender retries).
 */
export interface PatientSink {
  apply(message: AdtMessage): Promise<AdtResult>;
}
