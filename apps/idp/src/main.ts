import { createServer } from 'node:http';
import { loadConfig } from '@krypton/config';
import { createLogger } from '@krypton/logging';
import { DevAccounts } from './accounts';
import { createDevIdp } from './dev-idp.provider';
import { interactionHandler } from './interactions';

/**
 * The development identity provider (OpenID Connect, oidc-provider): what `npm start` and the
 * tests sign in with. A process of its own, reached over HTTP like Pro Santé Connect would be.
 */
async function main(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger('idp', cfg.log.level);
  const idp = cfg.auth.devIdp;
  if (!idp) throw new Error('auth.devIdp is not configured: there is no development identity provider to run');
  const accounts = new DevAccounts(cfg);
  const provider = createDevIdp(cfg, accounts);
  const oidc = provider.callback();
  const interactions = interactionHandler(provider, accounts, log);
  const server = createServer((req, res) => (req.url?.startsWith('/interaction/') ? void interactions(req, res) : oidc(req, res)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(idp.port, () => resolve());
  });
  log.info({ issuer: idp.issuer, port: idp.port, users: cfg.users.map((u) => u.name) }, 'development identity provider listening');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'idp', msg: e.message }));
  process.exit(1);
});
