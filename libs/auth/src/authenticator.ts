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
@Injectable()
export class Authenticator {
  private readonly registry: TokenRegistry;
  private readonly oidc: OidcVerifier;

  constructor(@Inject(KRYPTON_CONFIG) cfg: KryptonConfig) {
    this.registry = new TokenRegistry(cfg.users);
    this.oidc = new OidcVerifier(cfg.auth.issuers, { sites: cfg.sites, pools: new Set(cfg.pathway.reading.pools.map((p) => p.id)) });
  }

  async authenticate(token: string): Promise<Principal> {
    if (this.oidc.enabled && looksLikeJwt(token)) return this.oidc.verify(token);
    const principal = this.registry.resolve(token);
    if (!principal) throw new AuthenticationError('unknown or revoked token', 'unknown-token');
    return principal;
  }
}
