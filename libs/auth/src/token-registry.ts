import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserConfig } from '@krypton/config';
import { Principal } from './principal';

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The principal a configured user stands for (static token, or the dev IdP's account). */
export function principalOfUser(u: UserConfig, authenticatedBy = 'token'): Principal {
  const sites = [...new Set([...(u.site ? [u.site] : []), ...(u.sites ?? [])])];
  return { name: u.name, roles: u.roles, site: sites[0] ?? null, sites, pools: u.pools, identifiers: u.identifiers, authenticatedBy };
}

/** Resolves static bearer tokens against the configured users, comparing hashes in constant time. */
export class TokenRegistry {
  private readonly users: { hash: Buffer; principal: Principal }[];

  constructor(users: readonly UserConfig[]) {
    this.users = users.filter((u) => u.tokenSha256).map((u) => ({ hash: Buffer.from(u.tokenSha256 as string, 'hex'), principal: principalOfUser(u) }));
  }

  resolve(token: string): Principal | null {
    const h = Buffer.from(sha256Hex(token), 'hex');
    let found: Principal | null = null;
    for (const u of this.users) if (timingSafeEqual(u.hash, h)) found = u.principal;
    return found;
  }
}
