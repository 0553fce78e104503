import { HUB_ROLES, type ClaimRule, type OidcIssuerConfig, type SiteConfig } from '@krypton/config';
import { AuthenticationError, NoHubRoleError } from './auth-errors';
import { Principal } from './principal';

const HUB_ROLE_SET: ReadonlySet<string> = new Set(HUB_ROLES);

/** What the configuration knows, to drop what a token names and the hub does not. */
export interface KnownEntities {
  readonly sites: readonly SiteConfig[];
  readonly pools: ReadonlySet<string>;
}

/** The values a rule selects: the claim (array or single value), cut by its pattern, translated by its map. */
export function claimValues(payload: Record<string, unknown>, rule: ClaimRule | undefined): string[] {
  if (!rule) return [];
  let node: unknown = payload;
  for (const key of rule.claim.split('.')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  const raw = node === undefined || node === null ? [] : Array.isArray(node) ? node : [node];
  const pattern = rule.pattern ? new RegExp(rule.pattern) : undefined;
  const out: string[] = [];
  for (const v of raw) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    let value = String(v);
    if (pattern) {
      const m = pattern.exec(value);
      if (!m) continue;
      value = m[1] ?? m[0];
    }
    if (rule.map) {
      if (!(value in rule.map)) continue;
      value = rule.map[value];
    }
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

/**
 * The principal a verified token stands for, by the issuer's `claims` rules. Values the hub does
 * not know (a role outside its roles, a site or pool not configured) are dropped, never trusted:
 * an identity provider can say who someone is, only the configuration says what that opens here.
 */
export function principalFromClaims(payload: Record<string, unknown>, issuer: OidcIssuerConfig, known: KnownEntities): Principal {
  const [name] = claimValues(payload, issuer.claims.user);
  if (!name) throw new AuthenticationError(`the token has no "${issuer.claims.user.claim}" claim (auth.issuers[${issuer.id}].claims.user)`, 'claims');
  const roles = [...new Set([...issuer.roles, ...claimValues(payload, issuer.claims.roles)])].filter((r) => HUB_ROLE_SET.has(r));
  if (roles.length === 0) throw new NoHubRoleError(name, issuer.id);
  const sites = claimValues(payload, issuer.claims.sites)
    .map((v) => known.sites.find((s) => s.id === v || s.finess === v)?.id)
    .filter((s): s is string => s !== undefined);
  const uniqueSites = [...new Set(sites)];
  const pools = claimValues(payload, issuer.claims.pools).filter((p) => known.pools.has(p));
  const identifiers = [...claimValues(payload, issuer.claims.rpps).map((v) => `rpps:${v}`), ...claimValues(payload, issuer.claims.ins).map((v) => `ins:${v}`)];
  return { name, roles, site: uniqueSites[0] ?? null, sites: uniqueSites, pools, identifiers, authenticatedBy: issuer.id };
}
