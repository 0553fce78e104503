import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { Browser } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { launchChromium, storeSyntheticCt } from './support/browser';
import { ROOT } from './support/env';
import { Hub, HubApp } from './support/hub';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

jest.setTimeout(240_000);

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * Sign-in with OpenID Connect on the real hub: the development identity provider (apps/idp,
 * oidc-provider) as its own process, a browser (Debian's Chromium) through authorization code +
 * PKCE to the viewer, scripts through the password and client-credentials grants, and the api's
 * JWT rules against a second issuer whose keys this test holds (a local JWKS endpoint).
 */
describe('Sign-in (OpenID Connect) on the hub', () => {
  const hub = new Hub({ name: 'signin', redisDb: 12 });
  let browser: Browser;
  let studyUid = '';
  let jwks: Server;
  let testIssuer = '';
  let key: PrivateKey;
  let strangerKey: PrivateKey;

  beforeAll(async () => {
    // A second issuer, whose signing key the test holds, to show every JWT rule on the api.
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const keys: JWK[] = [{ ...(await exportJWK(pair.publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' }];
    jwks = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/test/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: testIssuer, jwks_uri: `${testIssuer}/keys` }));
      else if (req.url === '/realms/test/keys') res.end(JSON.stringify({ keys }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    testIssuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/realms/test`;

    await hub.prepare();
    const cfg = parse(readFileSync(hub.configFile, 'utf8'));
    cfg.auth.issuers.push({
      id: 'test',
      issuer: testIssuer,
      audience: 'urn:test:krypton',
      algorithms: ['ES256'],
      claims: { roles: { claim: 'groups', map: { radiologues: 'radiologist' } }, sites: 'finess', rpps: { claim: 'idnat', pattern: '^8(\\d{11})$' } },
    });
    writeFileSync(hub.configFile, stringify(cfg));
    const apps: HubApp[] = ['idp', 'api', 'worker', 'dicom-gateway', 'hl7-gateway'];
    for (const app of apps) hub.startApp(app);
    await waitFor('dev identity provider', async () => (await fetch(`${hub.idpUrl}/.well-known/openid-configuration`).catch(() => null))?.status === 200, 60_000, 300);
    await hub.waitHealthy();

    studyUid = await storeSyntheticCt(hub, 3, 9, 'SIGNIN-1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub.stop();
    await new Promise((r) => jwks?.close(r));
  });

  const api = (path: string, token: string) => fetch(`${hub.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const tokenFrom = async (form: Record<string, string>, basic?: string) => {
    const res = await fetch(`${hub.idpUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}) },
      body: new URLSearchParams(form),
    });
    return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
  };

  it('a browser signs in with authorization code + PKCE and the viewer renders the study with the cookie it got', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorize: URL[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${hub.idpUrl}/auth?`)) authorize.push(new URL(r.url()));
    });
    const failures: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/dicomweb/') && r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });

    // No cookie: the viewer sends the browser to the identity provider's sign-in page.
    await page.goto(`${hub.baseUrl}/viewer?StudyInstanceUIDs=${studyUid}`);
    expect(page.url()).toContain(`${hub.idpUrl}/interaction/`);
    expect(authorize).toHaveLength(1);
    const params = authorize[0].searchParams;
    expect({ response_type: params.get('response_type'), client_id: params.get('client_id'), method: params.get('code_challenge_method') }).toEqual({
      response_type: 'code',
      client_id: 'krypton-viewer',
      method: 'S256',
    });
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();

    // A wrong password stays on the provider, with a message.
    await page.fill('input[name=username]', 'demo-radiologist');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.getByText('Wrong user name or password.').waitFor({ timeout: 10_000 });
    expect(await context.cookies(hub.baseUrl)).toEqual([]);

    const frame = page.waitForResponse((r) => /\/dicomweb\/studies\/.+\/frames\/\d+/.test(r.url()) && r.status() === 200, { timeout: 90_000 });
    await page.fill('input[name=username]', 'demo-radiologist');
    await page.fill('input[name=password]', 'krypton-demo');
    await page.click('button[type=submit]');
    await page.waitForURL(`${hub.baseUrl}/viewer?StudyInstanceUIDs=${studyUid}`, { timeout: 30_000 }).catch(async (e) => {
      throw new Error(`${e.message}\nat ${page.url()}: ${(await page.content()).slice(0, 500)}`);
    });
    try {
      await frame;
      await page.locator('canvas').first().waitFor({ timeout: 60_000 });
    } finally {
      await page.screenshot({ path: join(hub.dir, 'signed-in-viewer.png') });
    }
    expect(failures).toEqual([]);

    const [cookie] = (await context.cookies(hub.baseUrl)).filter((c) => c.name === 'krypton_token');
    expect({ httpOnly: cookie.httpOnly, sameSite: cookie.sameSite }).toEqual({ httpOnly: true, sameSite: 'Lax' });
    const claims = JSON.parse(Buffer.from(cookie.value.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ iss: hub.idpUrl, aud: 'urn:krypton:api', sub: 'demo-radiologist', krypton_roles: ['radiologist'] });

    // The cookie is what authenticates the API call (GET only), as the signed-in user.
    const studies = await page.request.get(`${hub.baseUrl}/dicomweb/studies?StudyInstanceUID=${studyUid}`);
    expect(studies.status()).toBe(200);
    const tasks = await page.request.get(`${hub.baseUrl}/reading/tasks`);
    expect(tasks.status()).toBe(200);
    await context.close();
  });

  it('scripts get tokens: the password grant (demo users) and client credentials, mapped to the configured roles', async () => {
    const referrer = await tokenFrom({ grant_type: 'password', username: 'demo-referrer', password: 'krypton-demo', client_id: 'krypton-cli' });
    expect(referrer.status).toBe(200);
    expect((await api('/shared/exams', referrer.body.access_token!)).status).toBe(200);
    const forbidden = await api('/acquisition/unmatched', referrer.body.access_token!);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toMatch(/not allowed for the roles referrer/);

    expect((await tokenFrom({ grant_type: 'password', username: 'demo-referrer', password: 'wrong', client_id: 'krypton-cli' })).body.error).toBe('invalid_grant');
    expect((await tokenFrom({ grant_type: 'password', username: 'nobody', password: 'krypton-demo', client_id: 'krypton-cli' })).body.error).toBe('invalid_grant');
    // The viewer's client may not use the password grant.
    expect((await tokenFrom({ grant_type: 'password', username: 'demo-admin', password: 'krypton-demo', client_id: 'krypton-viewer' })).status).toBe(400);

    const service = await tokenFrom({ grant_type: 'client_credentials', scope: 'api' }, 'krypton-automation:demo-automation-secret');
    expect(service.status).toBe(200);
    expect((await api('/acquisition/unmatched', service.body.access_token!)).status).toBe(200);
    expect((await tokenFrom({ grant_type: 'client_credentials', scope: 'api' }, 'krypton-automation:wrong')).status).toBe(401);

    // The static demo tokens keep working beside OIDC in the demo configuration.
    expect((await api('/acquisition/unmatched', 'demo-coordinator-token')).status).toBe(200);
  });

  it('refuses JWTs that break a rule with 401 and a message: issuer, audience, expiry, unknown key, signature', async () => {
    const sign = (o: { iss?: string; aud?: string; exp?: number; kid?: string; key?: PrivateKey; groups?: string[] } = {}) =>
      new SignJWT({ groups: o.groups ?? ['radiologues'], finess: '000000001', idnat: '810000000001' })
        .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? 'test-1' })
        .setSubject('dr-test')
        .setIssuer(o.iss ?? testIssuer)
        .setAudience(o.aud ?? 'urn:test:krypton')
        .setIssuedAt()
        .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 300)
        .sign(o.key ?? key);
    const answer = async (token: string) => {
      const res = await api('/reading/tasks', token);
      return `${res.status} ${((await res.json()) as { message: string }).message}`;
    };

    expect(await answer(await sign())).toMatch(/^200 /);
    expect(await answer(await sign({ iss: 'https://idp.example/realms/other' }))).toBe('401 token issuer "https://idp.example/realms/other" is not a configured issuer (auth.issuers)');
    expect(await answer(await sign({ aud: 'urn:krypton:api' }))).toMatch(/^401 token claim "aud" rejected: .* \(expected "urn:test:krypton"\)$/);
    expect(await answer(await sign({ exp: Math.floor(Date.now() / 1000) - 120 }))).toBe('401 the token has expired ("exp")');
    expect(await answer(await sign({ kid: 'rotated-away' }))).toBe('401 no key of issuer "test" matches the token\'s key id');
    expect(await answer(await sign({ key: strangerKey }))).toBe('401 the token signature is invalid');
    expect(await answer(await sign({ groups: ['infirmiers'] }))).toBe('403 the token of "dr-test" from issuer "test" maps to no hub role (auth.issuers[].claims.roles / roles)');
    // A token of the dev provider is not one of this issuer's: its audience is the api's.
    const dev = await tokenFrom({ grant_type: 'password', username: 'demo-admin', password: 'krypton-demo', client_id: 'krypton-cli' });
    expect(await answer(dev.body.access_token!)).toMatch(/^200 /);
  });

  it('refuses to start in production with the demo tokens, the dev identity provider or its demo password', async () => {
    const run = async (app: HubApp) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`], {
        cwd: ROOT,
        env: { ...hub.env(), KRYPTON_ENV: 'production', HTTP_PORT: String(await freePort()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { code, out };
    };
    for (const app of ['api', 'idp'] as const) {
      const { code, out } = await run(app);
      expect(code).toBe(1);
      expect(out).toContain('users.0.tokenSha256: is the hash of a published demo token: refused in production');
      expect(out).toContain('auth.devIdp.passwordHash: is the hash of the published demo password: refused in production');
    }
  });
});
