import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { OidcIssuerConfig } from '@krypton/config';
import { oidcIssuerSchema } from '@krypton/config';
import { AuthenticationError, NoHubRoleError } from './auth-errors';
import { OidcVerifier } from './oidc-verifier';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * The verifier against a real HTTP JWKS endpoint (a local server) and tokens signed with jose:
 * every rule that must refuse a token is shown to refuse it, with its reason.
 */
describe('OidcVerifier', () => {
  let server: Server;
  let issuerUrl = '';
  let jwks: { keys: JWK[] } = { keys: [] };
  let key: PrivateKey;
  let otherKey: PrivateKey;
  let verifier: OidcVerifier;
  let issuer: OidcIssuerConfig;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` }));
      else if (req.url === '/jwks') res.end(JSON.stringify(jwks));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    issuer = oidcIssuerSchema.parse({
      id: 'test',
      issuer: issuerUrl,
      audience: 'urn:krypton:api',
      claims: { roles: 'roles', sites: 'sites', rpps: { claim: 'preferred_username', pattern: '^8(\\d{11})$' } },
    });
    verifier = new OidcVerifier([issuer], { sites: [{ id: 'chu-nord', name: 'CHU', finess: '000000001' }], pools: new Set() });
  });

  afterAll(() => new Promise((r) => server.close(r)));

  const sign = (claims: Record<string, unknown>, opts: { key?: PrivateKey; kid?: string; iss?: string; aud?: string; exp?: string | number } = {}) =>
    new SignJWT({ roles: ['radiologist'], sites: ['000000001'], preferred_username: '810000000001', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setSubject('dr-house')
      .setIssuer(opts.iss ?? issuerUrl)
      .setAudience(opts.aud ?? 'urn:krypton:api')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(opts.key ?? key);

  const reason = async (token: Promise<string> | string) => {
    try {
      await verifier.verify(await token);
      return 'accepted';
    } catch (e) {
      if (!(e instanceof AuthenticationError)) throw e;
      return `${e.reason}: ${e.message}`;
    }
  };

  it('accepts a valid token and maps its claims (site by FINESS, RPPS cut from the PSC identifier)', async () => {
    expect(await verifier.verify(await sign({}))).toEqual({
      name: 'dr-house',
      roles: ['radiologist'],
      site: 'chu-nord',
      sites: ['chu-nord'],
      pools: [],
      identifiers: ['rpps:10000000001'],
      authenticatedBy: 'test',
    });
  });

  it('refuses a token of an issuer that is not configured', async () => {
    expect(await reason(sign({}, { iss: 'https://evil.example' }))).toMatch(/^issuer: token issuer "https:\/\/evil.example" is not a configured issuer/);
  });

  it('refuses a token for another audience', async () => {
    expect(await reason(sign({}, { aud: 'another-api' }))).toMatch(/^audience: token claim "aud" rejected/);
  });

  it('refuses an expired token, beyond the clock tolerance', async () => {
    expect(await reason(sign({}, { exp: Math.floor(Date.now() / 1000) - 120 }))).toBe('expired: the token has expired ("exp")');
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    expect(await reason(sign({}, { kid: 'unknown' }))).toMatch(/^key: no key of issuer "test" matches/);
  });

  it('refuses a token whose signature does not verify', async () => {
    expect(await reason(sign({}, { key: otherKey }))).toBe('signature: the token signature is invalid');
    const valid = await sign({});
    const [h, p] = valid.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['admin'] })).toString('base64url');
    expect(await reason(`${h}.${forged}.${valid.split('.')[2]}`)).toBe('signature: the token signature is invalid');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const body = Buffer.from(JSON.stringify({ iss: issuerUrl, sub: 'x', aud: 'urn:krypton:api', exp: 9999999999, roles: ['admin'] })).toString('base64url');
    expect(await reason(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`)).toMatch(/^signature: token algorithm not accepted/);
  });

  it('answers a valid token that maps to no hub role with NoHubRoleError', async () => {
    await expect(verifier.verify(await sign({ roles: ['nurse'] }))).rejects.toBeInstanceOf(NoHubRoleError);
  });
});
