import { createHash } from 'node:crypto';

/**
 * Namespace of the hub's name-based report UIDs (a random UUID drawn once for this purpose). Other
 * software deriving UIDs from the same names with its own namespace cannot collide with these.
 */
const REPORT_UID_NAMESPACE = '6f1d0c5e-3b7a-4c2e-9a8d-5e4f2b1c7d90';

/**
 * A UID under the `2.25` root from a name-based (version 5, SHA-1) UUID, which PS3.5 B.2 allows
 * as well as random ones. Name-based because a signing activity may be retried after it stored
 * the DICOM object but before it recorded the report: the retry must make the same UIDs so that
 * the archive keeps one object, not two copies of one report.
 */
export function nameBasedUid(name: string): string {
  const ns = Buffer.from(REPORT_UID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  return `2.25.${BigInt(`0x${hash.toString('hex')}`).toString(10)}`;
}

/**
 * All versions of a request's report go in one series. The request id is a random UUID, so the
 * name never repeats across requests or hubs.
 */
export function reportSeriesUid(requestId: string): string {
  return nameBasedUid(`report-series:${requestId}`);
}

/** One instance per signature: the idempotency key names the signature. */
export function reportInstanceUid(requestId: string, idemKey: string): string {
  return nameBasedUid(`report-instance:${requestId}:${idemKey}`);
}
