import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@krypton/auth';

/**
 * The pools a worklist lists: the one asked for if the caller reads for it, else all of theirs;
 * coordinators and admins see every pool. The REST worklist and the radiologist's console share it.
 */
export function worklistPools(who: Principal, allPools: readonly string[], pool?: string): string[] {
  const seesAll = who.roles.includes('coordinator') || who.roles.includes('admin');
  if (pool && !seesAll && !who.pools.includes(pool)) throw new ForbiddenException(`pool: ${who.name} does not read for pool "${pool}"`);
  return pool ? [pool] : seesAll ? [...allPools] : [...who.pools];
}
