import { createHash } from 'node:crypto';

/**
 * Storage key of an instance: by SOP Instance UID alone, so that a duplicate lands on the same key
 * whatever study it claims, with two hashed directory levels to keep directories small.
 */
export function instanceKey(sopInstanceUid: string): string {
  const h = createHash('sha1').update(sopInstanceUid).digest('hex');
  return `instances/${h.slice(0, 2)}/${h.slice(2, 4)}/${sopInstanceUid}.dcm`;
}
