import { destinations, type KryptonConfig } from '@krypton/config';

export interface ConfigurationView {
  readonly sites: readonly { id: string; name: string; finess: string | null; readingPool: string | null; aes: number }[];
  readonly aes: readonly { aeTitle: string; name: string; site: string; kind: string; address: string | null; restricted: boolean }[];
  readonly destinations: readonly { name: string; aeTitle: string; address: string; maxAssociations: number; storageCommitment: boolean }[];
  /** Who may do what; identifiers and token hashes are not shown (they open doors). */
  readonly users: readonly { name: string; roles: readonly string[]; sites: readonly string[]; pools: readonly string[]; signIn: 'token' | 'identity provider' }[];
  readonly pools: readonly { id: string; name: string; readers: number; isDefault: boolean }[];
}

/** The default of `aes[].maxAssociations`, as the routing's destination workers apply it. */
const DEFAULT_MAX_ASSOCIATIONS = 2;

/**
 * The configuration as an administrator reads it. It is edited in the YAML (validated at start),
 * not through the console: the hub has no API that changes sites, AEs, users or pools.
 */
export function configurationView(cfg: KryptonConfig): ConfigurationView {
  return {
    sites: cfg.sites.map((s) => ({ id: s.id, name: s.name, finess: s.finess ?? null, readingPool: s.readingPool ?? null, aes: cfg.aes.filter((a) => a.site === s.id).length })),
    aes: cfg.aes.map((a) => ({
      aeTitle: a.aeTitle,
      name: a.name ?? a.aeTitle,
      site: a.site,
      kind: a.kind,
      address: a.host && a.port ? `${a.host}:${a.port}` : null,
      restricted: (a.addresses?.length ?? 0) > 0,
    })),
    destinations: destinations(cfg).map((d) => ({
      name: d.name,
      aeTitle: d.aeTitle,
      address: `${d.host}:${d.port}`,
      maxAssociations: d.maxAssociations ?? DEFAULT_MAX_ASSOCIATIONS,
      storageCommitment: d.storageCommitment === true,
    })),
    users: cfg.users.map((u) => ({
      name: u.name,
      roles: u.roles,
      sites: [...new Set([...(u.site ? [u.site] : []), ...u.sites])],
      pools: u.pools,
      signIn: u.tokenSha256 ? 'token' : 'identity provider',
    })),
    pools: cfg.pathway.reading.pools.map((p) => ({
      id: p.id,
      name: p.name,
      readers: cfg.users.filter((u) => u.pools.includes(p.id)).length,
      isDefault: p.id === cfg.pathway.reading.defaultPool,
    })),
  };
}
