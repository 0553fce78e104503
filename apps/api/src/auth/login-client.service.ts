import { Inject, Injectable } from '@nestjs/common';
import type * as OidcClient from 'openid-client';
import { KRYPTON_CONFIG, KryptonConfig, LoginConfig, OidcIssuerConfig } from '@krypton/config';

/** What the browser's sign-in must prove at the callback: kept here, bound to the browser by a cookie. */
export interface PendingLogin {
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly returnTo: string;
  readonly redirectUri: string;
  readonly expiresAt: number;
}

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/**
 * The api as an OpenID Connect client of one issuer (`auth.login`), on openid-client: discovery,
 * authorization URL with PKCE (S256), state and nonce, and the code exchange, which checks the
 * state, the ID token (signature, iss, aud, nonce) and the PKCE verifier. The pending sign-ins live
 * in this process for ten minutes; a browser that takes longer starts again.
 */
@Injectable()
export class LoginClient {
  private config?: Promise<OidcClient.Configuration>;
  private readonly pending = new Map<string, PendingLogin>();
  readonly login?: LoginConfig;
  private readonly issuer?: OidcIssuerConfig;

  constructor(@Inject(KRYPTON_CONFIG) cfg: KryptonConfig) {
    this.login = cfg.auth.login;
    this.issuer = cfg.auth.issuers.find((i) => i.id === cfg.auth.login?.issuer);
  }

  get enabled(): boolean {
    return this.login !== undefined;
  }

  /** The URL to send the browser to, and the state that names its pending sign-in. */
  async start(redirectUri: string, returnTo: string): Promise<{ url: URL; state: string }> {
    const lib = oidcClient();
    const config = await this.configuration();
    const codeVerifier = lib.randomPKCECodeVerifier();
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    this.sweep();
    this.pending.set(state, { codeVerifier, nonce, returnTo, redirectUri, expiresAt: Date.now() + PENDING_TTL_MS });
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.login!.scope,
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(this.login!.resource ? { resource: this.login!.resource } : {}),
    });
    return { url, state };
  }

  /** Exchanges the code of the callback URL; answers the access token and where the browser goes next. */
  async finish(state: string | undefined, callbackUrl: URL): Promise<{ accessToken: string; expiresIn: number; returnTo: string }> {
    const pending = state ? this.pending.get(state) : undefined;
    if (!state || !pending || pending.expiresAt < Date.now()) throw new LoginError('no sign-in in progress for this browser (expired or already used): sign in again');
    this.pending.delete(state);
    const lib = oidcClient();
    const tokens = await lib.authorizationCodeGrant(
      await this.configuration(),
      callbackUrl,
      { pkceCodeVerifier: pending.codeVerifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true },
      this.login!.resource ? { resource: this.login!.resource } : undefined,
    );
    return { accessToken: tokens.access_token, expiresIn: tokens.expires_in ?? 3600, returnTo: pending.returnTo };
  }

  async logoutUrl(postLogoutRedirectUri: string): Promise<URL | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidcClient().buildEndSessionUrl(config, { post_logout_redirect_uri: postLogoutRedirectUri, client_id: this.login!.clientId });
  }

  private configuration(): Promise<OidcClient.Configuration> {
    if (!this.config) {
      const lib = oidcClient();
      const login = this.login!;
      const server = new URL(this.issuer!.issuer);
      const auth = login.clientSecret ? lib.ClientSecretBasic(login.clientSecret) : lib.None();
      // http:// is only accepted for an issuer on this machine (the development identity provider).
      const loopback = server.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname);
      this.config = lib.discovery(server, login.clientId, undefined, auth, loopback ? { execute: [lib.allowInsecureRequests] } : undefined);
      // A failed discovery (identity provider not up yet) is tried again by the next sign-in.
      this.config.catch(() => (this.config = undefined));
    }
    return this.config;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, p] of this.pending) if (p.expiresAt < now) this.pending.delete(state);
    // A flood of sign-in starts must not grow memory without bound: the oldest are dropped.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }
}

/** A sign-in that cannot complete for a reason the user can act on (400). */
export class LoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginError';
  }
}

/** openid-client 6 is an ES module; Node 20.19+ loads it with require() (see apps/idp for the same with oidc-provider). */
function oidcClient(): typeof OidcClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('openid-client');
}
