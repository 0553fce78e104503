import { createHash } from 'node:crypto';
import { verifyPassword } from './password-hash';

/**
 * The secrets published in the README for the demo: the static bearer tokens of the demo users and
 * the one password of the development identity provider. Anyone can read them, so a configuration
 * that still holds them is refused when KRYPTON_ENV=production.
 */
export const DEMO_USERS = ['demo-admin', 'demo-coordinator', 'demo-radiologist', 'demo-referrer', 'demo-patient', 'demo-researcher', 'demo-committee'] as const;
export const DEMO_PASSWORD = 'krypton-demo';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const DEMO_TOKEN_HASHES: ReadonlySet<string> = new Set(DEMO_USERS.map((u) => sha256(`${u}-token`)));

export function isDemoPasswordHash(hash: string): boolean {
  return verifyPassword(DEMO_PASSWORD, hash);
}
