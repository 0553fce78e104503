import type { KryptonConfig } from '@krypton/config';
import { SharingRefusedError } from './sharing-errors';

/** Whom a share is for: a professional by RPPS, a site, or an organisation by FINESS (all its sites). */
export type ShareRecipient = { readonly rpps: string } | { readonly site: string } | { readonly organisation: string };

export interface ResolvedRecipient {
  readonly kind: 'rpps' | 'site' | 'organisation';
  readonly value: string;
  /** The access grantees the share writes: `rpps:<n>`, or `site:<id>` for each site. */
  readonly grantees: string[];
  /** Where the notification goes: the users holding that RPPS, the sites' mailboxes. */
  readonly emails: string[];
}

/**
 * Resolves a recipient against the configuration. A site or an organisation the hub does not
 * know is refused (422, naming the field): a grant to nobody would be a silent no-op.
 */
export function resolveRecipient(cfg: Pick<KryptonConfig, 'sites' | 'users'>, to: ShareRecipient): ResolvedRecipient {
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
