import { createHash, randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';

/** Prefix of a link's viewer-session token: how the authenticator knows it is one (see SessionTokenResolver). */
export const LINK_SESSION_PREFIX = 'kpl_';

/** 256 random bits, URL-safe: a link cannot be guessed, only its second factor can be tried. */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');
export const newSessionToken = (): string => `${LINK_SESSION_PREFIX}${randomBytes(32).toString('base64url')}`;
export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** A six-digit one-time code for the patient (sent by e-mail, never stored in clear). */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * scrypt, salted: a six-digit code has only a million values, so a plain hash in a leaked table
 * would be reversed at once; scrypt makes each try cost, and the lock after a few wrong answers
 * does the rest online.
 */
export function hashCode(code: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(code, salt, 32).toString('base64')}`;
}

export function codeMatches(code: string, stored: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(code, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** A birth date as a patient types it — 1961-03-14, 14/03/1961, 19610314 — as a DICOM DA (YYYYMMDD); null when not a date. */
export function birthDateAsDa(answer: string): string | null {
  const a = answer.trim();
  let m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(a);
  if (m) return valid(m[1], m[2], m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(a);
  if (m) return valid(m[3], m[2].padStart(2, '0'), m[1].padStart(2, '0'));
  return null;
}

function valid(y: string, mo: string, d: string): string | null {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}${mo}${d}`;
}

/** Constant-time comparison of two short strings (a typed birth date with the catalogue's). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a), 'hex');
  const y = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(x, y);
}
