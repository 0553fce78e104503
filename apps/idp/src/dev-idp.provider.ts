import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KryptonConfig } from '@krypton/config';
import type Provider from 'oidc-provider';
import type { ClientMetadata, Configuration } from 'oidc-provider';
import { DevAccounts } from './accounts';
import { oidcProvider } from './oidc-provider.module';
import { registerPasswordGrant } from './password-grant';

/** The only scope of the hub's API (the resource `auth.devIdp.audience`). */
export const API_SCOPE = 'api';

/** The api's sign-in callback: the redirect URI every authorization-code client may use. */
export function apiCallbackUrls(cfg: KryptonConfig): string[] {
  if (cfg.http.publicUrl) return [`${cfg.http.publicUrl.replace(/\/$/, '')}/auth/callback`];
  const scheme = cfg.http.tls ? 'https' : 'http';
  return [`${scheme}://127.0.0.1:${cfg.http.port}/auth/callback`, `${scheme}://localhost:${cfg.http.port}/auth/callback`];
}

function clientMetadata(cfg: KryptonConfig): ClientMetadata[] {
  return cfg.auth.devIdp!.clients.map((c) => {
    const code = c.grantTypes.includes('authorization_code');
    return {
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
      grant_types: c.grantTypes,
      response_types: code ? ['code'] : [],
      redirect_uris: code ? [...apiCallbackUrls(cfg), ...c.redirectUris] : [],
      post_logout_redirect_uris: code ? apiCallbackUrls(cfg).map((u) => u.replace(/\/auth\/callback$/, '/')) : [],
    };
  });
}

/**
 * oidc-provider configured as a small OpenID Provider for development: authorization code with
 * PKCE (S256, required) for browsers, client credentials and — demo only — the password grant for
 * scripts; access tokens are JWTs (RS256) for the audience `auth.devIdp.audience`, carrying the
 * user's hub claims. The signing key is made at each start: tokens do not outlive the process,
 * and the api fetches the new key by its `kid`.
 */
export function createDevIdp(cfg: KryptonConfig, accounts: DevAccounts): Provider {
  const idp = cfg.auth.devIdp!;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `dev-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
  const actsAs = new Map(idp.clients.filter((c) => c.actsAs).map((c) => [c.clientId, c.actsAs as string]));
  const resourceServer = { scope: API_SCOPE, audience: idp.audience, accessTokenTTL: idp.accessTokenMinutes * 60, accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'RS256' as const } } };
  const { Provider, errors } = oidcProvider();

  const configuration: Configuration = {
    clients: clientMetadata(cfg),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64')] },
    scopes: ['openid', 'profile', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name'] },
    pkce: { methods: ['S256'], required: () => true },
    findAccount: async (_ctx, id) => {
      const user = accounts.get(id);
      return user ? { accountId: id, claims: async () => ({ sub: id, name: user.name }) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => idp.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== idp.audience) throw new errors.InvalidTarget(`unknown resource ${indicator}; this provider serves ${idp.audience}`);
          return resourceServer;
        },
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      const t = token as { accountId?: string; clientId?: string };
      const user = accounts.get(t.accountId ?? actsAs.get(t.clientId ?? '') ?? '');
      return user ? accounts.claims(user) : undefined;
    },
    ttl: { AccessToken: idp.accessTokenMinutes * 60, ClientCredentials: idp.accessTokenMinutes * 60, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    renderError: async (ctx, out) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${out.error}: ${out.error_description ?? ''}\n`;
    },
  };
  const provider = new Provider(idp.issuer, configuration);
  registerPasswordGrant(provider, accounts, idp.audience, resourceServer);
  return provider;
}
