import type { AdtMessage } from '@krypton/hl7';
import type { AdtResult } from '@krypton/patient-identity';

export const PATIENT_SINK = Symbol('PATIENT_SINK');

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
