import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserConfig } from '@krypton/config';
import { Principal } from './principal';

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Resolves bearer tokens against the configured users, comparing hashes in constant time. */
export class TokenRegistry {
  private readonly users: { hash: Buffer; principal: Principal }[];

  constructor(users: readonly UserConfig[]) {
    this.users = users.map((u) => ({
      hash: Buffer.from(u.tokenSha256, 'hex'),
      principal: { name: u.name, roles: u.roles, site: u.site ?? null, pools: u.pools, identifiers: u.identifiers },
    }));
  }

  resolve(token: string): Principal | null {
    const h = Buffer.from(sha256Hex(token), 'hex');
    let found: Principal | null = null;
    for (const u of this.users) if (timingSafeEqual(u.hash, h)) found = u.principal;
    return found;
  }
}
