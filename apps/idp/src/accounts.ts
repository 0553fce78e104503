import type { KryptonConfig, UserConfig } from '@krypton/config';
import { ConfigError, defaultConfigPath, verifyPassword } from '@krypton/config';

/**
 * The development identity provider's accounts are the configured users (`users:`), all with the
 * one password of `auth.devIdp.passwordHash`. Their tokens carry what the configuration says of
 * them, in the claims that `auth.issuers[dev].claims` maps back: the api reads them exactly as it
 * would read Pro Santé Connect's.
 */
export class DevAccounts {
  private readonly users: Map<string, UserConfig>;

  constructor(private readonly cfg: KryptonConfig) {
    this.users = new Map(cfg.users.map((u) => [u.name, u]));
    const unknown = (cfg.auth.devIdp?.clients ?? []).flatMap((c, i) => (c.actsAs && !this.users.has(c.actsAs) ? [`auth.devIdp.clients.${i}.actsAs: unknown user "${c.actsAs}"`] : []));
    if (unknown.length) throw new ConfigError('invalid configuration', defaultConfigPath(), unknown);
  }

  get(name: string): UserConfig | undefined {
    return this.users.get(name);
  }

  /** The user when name and password match, else undefined (one answer for both, to not reveal which). */
  signIn(name: string, password: string): UserConfig | undefined {
    const user = this.users.get(name);
    const ok = verifyPassword(password, this.cfg.auth.devIdp!.passwordHash);
    return ok ? user : undefined;
  }

  /** The hub claims of a user, added to its access tokens. */
  claims(user: UserConfig): Record<string, unknown> {
    const of = (kind: string) => user.identifiers.filter((i) => i.startsWith(`${kind}:`)).map((i) => i.slice(kind.length + 1));
    return {
      name: user.name,
      krypton_roles: user.roles,
      // The same sites a static token of this user gets (libs/auth token-registry): `site` and `sites`.
      krypton_sites: [...new Set([...(user.site ? [user.site] : []), ...(user.sites ?? [])])],
      krypton_pools: user.pools,
      ...(of('rpps').length ? { rpps: of('rpps')[0] } : {}),
      ...(of('ins').length ? { ins: of('ins')[0] } : {}),
    };
  }
}
