import { createHash } from 'node:crypto';

/**
 * Storage key of an instance: by SOP Instance UID alone, so that a duplicate lands on the same key
 * whatever study it claims, spread over 256 hashed directories (ext4 indexes large directories;
 * fewer directories means fewer first-time creations on the ingest path).
 */
export function instanceKey(sopInstanceUid: string): string {
  const h = createHash('sha1').update(sopInstanceUid).digest('hex');
  return `instances/${h.slice(0, 2)}/${sopInstanceUid}.dcm`;
}
