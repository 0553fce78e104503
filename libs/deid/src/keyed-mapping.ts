import { createHmac } from 'node:crypto';
import { WeakSecretError } from './deid-errors';

/** UIDs of the standard itself (SOP classes, transfer syntaxes, coding schemes, UTC): never remapped. */
const STANDARD_UID_ROOT = '1.2.840.10008.';

/** 16 bytes: HMAC-SHA256 keys shorter than this make the pseudonyms guessable by brute force. */
export const MIN_SECRET_BYTES = 16;

/** Days by which a patient's dates may move back (1 to 3,650: up to ten years). */
const DATE_OFFSET_RANGE = 3650;

/**
 * The keyed, deterministic replacements of one project: UIDs, the patient pseudonym and the
 * per-patient date offset are HMAC-SHA256 of the original under the project's secret, with a
 * domain label per use so that one never reveals another. The same secret gives the same output
 * (two extractions of a project agree, references between objects stay consistent) and nobody
 * without the secret can link an output value back to an input value.
 */
export class KeyedMapping {
  private readonly uids = new Map<string, string>();

  constructor(private readonly secret: Buffer) {
    if (secret.length < MIN_SECRET_BYTES) throw new WeakSecretError(secret.length, MIN_SECRET_BYTES);
  }

  private mac(domain: string, value: string): Buffer {
    return createHmac('sha256', this.secret).update(domain).update('\0').update(value).digest();
  }

  /**
   * A 2.25 UID (PS3.5 B.2) whose 128 bits are a version-8 UUID built from the HMAC of the
   * original, so it is a valid UUID-derived UID and at most 44 characters.
   */
  uid(original: string): string {
    const trimmed = original.replace(/[\0 ]+$/, '');
    if (trimmed === '' || trimmed.startsWith(STANDARD_UID_ROOT)) return trimmed;
    let mapped = this.uids.get(trimmed);
    if (!mapped) {
      const b = this.mac('uid', trimmed).subarray(0, 16);
      b[6] = (b[6] & 0x0f) | 0x80;
      b[8] = (b[8] & 0x3f) | 0x80;
      mapped = `2.25.${BigInt(`0x${b.toString('hex')}`).toString(10)}`;
      this.uids.set(trimmed, mapped);
    }
    return mapped;
  }

  /** The patient's pseudonym in this project: 'P' and 15 base-32 characters (75 bits). */
  patientPseudonym(patientKey: string): string {
    return `P${base32(this.mac('patient', patientKey)).slice(0, 15)}`;
  }

  /** Days to subtract from every date of this patient (same for all of their exams). */
  dateOffsetDays(patientKey: string): number {
    return 1 + (this.mac('date-offset', patientKey).readUInt32BE(0) % DATE_OFFSET_RANGE);
  }
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * What identifies a patient for pseudonymisation and date offsets: the Patient ID within its
 * issuer; without an ID, the name and birth date (so two exams of one patient still agree).
 */
export function patientKeyOf(patientId: string, issuer: string, name: string, birthDate: string): string {
  if (patientId.trim() !== '') return `id:${issuer.trim()}|${patientId.trim()}`;
  return `name:${name.trim().toUpperCase()}|${birthDate.trim()}`;
}

/**
 * The key of one project from a hub-wide (or operator's) secret: the same secret file gives each
 * project its own pseudonyms, UIDs and date offsets, so two projects' outputs cannot be joined.
 */
export function projectKey(secret: Buffer, projectId: string): Buffer {
  return createHmac('sha256', secret).update('krypton-deid-project').update('\0').update(projectId).digest();
}
