import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes of the development identity provider: scrypt (node:crypto, N=16384, r=8, p=1)
 * as `scrypt$<salt base64>$<hash base64>`, so the configuration never holds the password itself.
 */
const KEY_LENGTH = 32;

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, KEY_LENGTH).toString('base64')}`;
}

export function verifyPassword(password: string, hash: string): boolean {
  const [scheme, salt, expected] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const want = Buffer.from(expected, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length);
  return want.length === KEY_LENGTH && timingSafeEqual(want, got);
}
