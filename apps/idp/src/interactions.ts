import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type Provider from 'oidc-provider';
import type { Logger } from '@krypton/logging';
import { DevAccounts } from './accounts';

const MAX_FORM_BYTES = 8 * 1024;

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The hub's own clients are first-party: what they ask for (the OpenID scopes and claims, the
 * api's scope) is granted without a consent page.
 */
async function consent(provider: Provider, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/**
 * The sign-in page of the development identity provider (oidc-provider leaves interactions to
 * the application): GET shows the form, POST checks the user and the demo password and hands the
 * account back to oidc-provider, which finishes the authorization-code flow.
 */
export function interactionHandler(provider: Provider, accounts: DevAccounts, log: Logger, templatesDir = 'config/idp') {
  const page = Handlebars.compile(readFileSync(join(templatesDir, 'login.hbs'), 'utf8'), { strict: false });
  const render = (res: ServerResponse, status: number, view: { uid: string; clientId: string; username?: string; error?: string }) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    res.end(page(view));
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const details = await provider.interactionDetails(req, res);
      const clientId = String(details.params.client_id ?? '');
      if (details.prompt.name === 'consent') return await consent(provider, details, req, res);
      if (req.method === 'GET') return render(res, 200, { uid: details.uid, clientId });
      if (req.method !== 'POST' || !req.url?.endsWith('/login')) {
        res.writeHead(405).end();
        return;
      }
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const user = accounts.signIn(username, form.get('password') ?? '');
      if (!user) {
        log.info({ username }, 'dev identity provider: sign-in refused');
        return render(res, 401, { uid: details.uid, clientId, username, error: 'Wrong user name or password.' });
      }
      log.debug({ username }, 'dev identity provider: signed in');
      await provider.interactionFinished(req, res, { login: { accountId: user.name } }, { mergeWithLastSubmission: false });
    } catch (e) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`sign-in failed: ${e.message}\n`);
    }
  };
}
