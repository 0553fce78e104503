import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { DevAccounts } from './accounts';
import { oidcProvider } from './oidc-provider.module';

/**
 * The resource-owner password grant (RFC 6749 §4.3), for demo scripts only: `curl -d
 * grant_type=password -d username=demo-admin -d password=… -d client_id=krypton-cli …/token`.
 * OAuth 2.1 drops it and oidc-provider does not ship it; the development provider registers it so
 * that a script gets a user's token without a browser. Production scripts use client credentials
 * at the real identity provider.
 */
export function registerPasswordGrant(provider: Provider, accounts: DevAccounts, audience: string, resourceServerInfo: { scope: string }): void {
  const { errors } = oidcProvider();
  const scope = resourceServerInfo.scope;
  provider.registerGrantType(
    'password',
    async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      const params = ctx.oidc.params as { username?: string; password?: string };
      if (!params.username || !params.password) throw new errors.InvalidRequest('username and password are required');
      const user = accounts.signIn(params.username, params.password);
      if (!user) throw new errors.InvalidGrant('wrong user name or password');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- oidc-provider's typings do not expose these classes on the provider
      const { AccessToken, Grant, ResourceServer } = ctx.oidc.provider as any;
      const client = ctx.oidc.client!;
      const grant = new Grant({ accountId: user.name, clientId: client.clientId });
      grant.addResourceScope(audience, scope);
      const grantId = await grant.save();
      const token = new AccessToken({ accountId: user.name, client, grantId, gty: 'password', scope });
      token.resourceServer = new ResourceServer(audience, resourceServerInfo);
      ctx.oidc.entity('AccessToken', token);
      const value = await token.save();
      ctx.body = { access_token: value, expires_in: token.expiration, token_type: 'Bearer', scope };
      await next();
    },
    ['username', 'password', 'scope'],
  );
}
