import { randomUUID } from 'node:crypto';

/**
 * A new UID under the `2.25` root (PS3.5 B.2: a UUID written as one decimal integer), for objects
 * the hub creates itself or a peer left without one (an MPPS whose SCU lets the SCP choose). Kept
 * apart from `uids.ts` so that the constants stay importable without Node built-ins.
 */
export function newUuidUid(uuid: string = randomUUID()): string {
  return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}
