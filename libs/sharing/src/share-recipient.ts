import type { KryptonConfig } from '@krypton/config';
import { poolGrantee } from '@krypton/access';
import { SharingRefusedError } from './sharing-errors';

/**
 * Whom a share is for: a professional by RPPS, a site, or an organisation by FINESS (all its
 * sites); a protocol may also share with a reading pool (its radiologists, through the pool scope).
 */
export type ShareRecipient = { readonly rpps: string } | { readonly site: string } | { readonly organisation: string } | { readonly pool: string };

export interface ResolvedRecipient {
  readonly kind: 'rpps' | 'site' | 'organisation' | 'pool';
  readonly value: string;
  /** The access grantees the share writes: `rpps:<n>`, `site:<id>` for each site, or `pool:<id>`. */
  readonly grantees: string[];
  /** Where the notification goes: the users holding that RPPS, the sites' mailboxes. */
  readonly emails: string[];
}

/**
 * Resolves a recipient against the configuration. A site or an organisation the hub does not
 * know is refused (422, naming the field): a grant to nobody would be a silent no-op.
 */
export function resolveRecipient(cfg: Pick<KryptonConfig, 'sites' | 'users' | 'pathway'>, to: ShareRecipient): ResolvedRecipient {
  if ('rpps' in to) {
    const id = `rpps:${to.rpps}`;
    const emails = cfg.users.filter((u) => u.identifiers.includes(id) && u.email).map((u) => u.email as string);
    return { kind: 'rpps', value: to.rpps, grantees: [id], emails: unique(emails) };
  }
  if ('site' in to) {
    const site = cfg.sites.find((s) => s.id === to.site);
    if (!site) throw new SharingRefusedError(`to.site: unknown site "${to.site}"`, 422, 'to.site');
    return { kind: 'site', value: site.id, grantees: [`site:${site.id}`], emails: site.email ? [site.email] : [] };
  }
  if ('pool' in to) {
    if (!cfg.pathway.reading.pools.some((p) => p.id === to.pool)) throw new SharingRefusedError(`to.pool: unknown reading pool "${to.pool}"`, 422, 'to.pool');
    const emails = cfg.users.filter((u) => u.pools.includes(to.pool) && u.email).map((u) => u.email as string);
    return { kind: 'pool', value: to.pool, grantees: [poolGrantee(to.pool)], emails: unique(emails) };
  }
  const sites = cfg.sites.filter((s) => s.finess === to.organisation);
  if (!sites.length) throw new SharingRefusedError(`to.organisation: no site has the FINESS number ${to.organisation}`, 422, 'to.organisation');
  return {
    kind: 'organisation',
    value: to.organisation,
    grantees: sites.map((s) => `site:${s.id}`),
    emails: unique(sites.filter((s) => s.email).map((s) => s.email as string)),
  };
}

const unique = (xs: string[]) => [...new Set(xs)];
