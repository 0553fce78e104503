import { Inject, Injectable } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { AuthenticationError } from './auth-errors';
import { looksLikeJwt, OidcVerifier } from './oidc-verifier';
import { Principal } from './principal';
import { TokenRegistry } from './token-registry';

/**
 * The one place a bearer token becomes a principal, for the API guard and the viewer's cookie:
 * a JWT is verified against the configured OpenID Connect issuers, anything else is looked up
 * among the static tokens of `users:`.
 */
/**
 * Tokens the hub issues itself for a narrow purpose (a patient link's viewer session): a lib that
 * issues them registers how to resolve its prefix, so that the auth lib does not depend on it.
 */
export interface SessionTokenResolver {
  /** What every token of this kind starts with (`kpl_`); never a JWT or static-token shape. */
  readonly prefix: string;
  /** The session's principal, or null when unknown, expired or revoked. */
  resolve(token: string): Promise<Principal | null>;
}

@Injectable()
export class Authenticator {
  private readonly registry: TokenRegistry;
  private readonly oidc: OidcVerifier;
  private readonly sessions: SessionTokenResolver[] = [];

  constructor(@Inject(KRYPTON_CONFIG) cfg: KryptonConfig) {
    this.registry = new TokenRegistry(cfg.users);
    this.oidc = new OidcVerifier(cfg.auth.issuers, { sites: cfg.sites, pools: new Set(cfg.pathway.reading.pools.map((p) => p.id)) });
  }

  /** Called once by the lib that issues session tokens of this prefix (at module init). */
  registerSessions(resolver: SessionTokenResolver): void {
    if (this.sessions.some((r) => r.prefix === resolver.prefix)) throw new Error(`session tokens "${resolver.prefix}" are already resolved elsewhere`);
    this.sessions.push(resolver);
  }

  async authenticate(token: string): Promise<Principal> {
    const sessions = this.sessions.find((r) => token.startsWith(r.prefix));
    if (sessions) {
      const principal = await sessions.resolve(token);
      if (!principal) throw new AuthenticationError('unknown, expired or revoked session', 'unknown-token');
      return principal;
    }
    if (this.oidc.enabled && looksLikeJwt(token)) return this.oidc.verify(token);
    const principal = this.registry.resolve(token);
    if (!principal) throw new AuthenticationError('unknown or revoked token', 'unknown-token');
    return principal;
  }
}
