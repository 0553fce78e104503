import { createHash, randomUUID } from 'node:crypto';

const ACCESSION_PREFIX = 'KR';
const ACCESSION_DIGITS = 8;
const BASE36_SPACE = 36n ** BigInt(ACCESSION_DIGITS);

/**
 * The accession number of a request: `KR` + 8 base-36 characters (10 characters, well within the
 * 16 of VR SH), derived from the request id so that a retried scheduling activity assigns the same
 * number. 36^8 ≈ 2.8e12 values make a collision rare but possible over millions of requests, so
 * `attempt` (0 first, then 1, 2… after a unique-constraint violation) salts the derivation while
 * keeping it reproducible.
 */
export function accessionNumberFor(requestId: string, attempt = 0): string {
  const digest = createHash('sha256')
    .update(attempt === 0 ? requestId : `${requestId}:${attempt}`)
    .digest();
  const value = digest.readBigUInt64BE(0) % BASE36_SPACE;
  return ACCESSION_PREFIX + value.toString(36).toUpperCase().padStart(ACCESSION_DIGITS, '0');
}

/**
 * A new Study Instance UID under the `2.25` root (PS3.5 B.2: a UUID as one decimal integer). Not
 * derived from the request id: a UID must never be reused, even if a request is recreated.
 * Generated in an activity, never in workflow code (randomness would break replay).
 */
export function newStudyInstanceUid(uuid: string = randomUUID()): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}
