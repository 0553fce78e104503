import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig } from './config.loader';
import { DEMO_PASSWORD, isDemoPasswordHash } from './demo-secrets';
import { hashPassword, verifyPassword } from './password-hash';

const DEMO = join(__dirname, '../../../config/krypton.yaml');

function write(doc: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'krypton-auth-')), 'k.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

describe('auth configuration', () => {
  it('the demo configuration loads outside production', () => {
    const cfg = loadConfig(DEMO, {});
    expect(cfg.environment).toBe('demo');
    expect(cfg.auth.devIdp).toBeDefined();
    expect(isDemoPasswordHash(cfg.auth.devIdp!.passwordHash)).toBe(true);
  });

  it('KRYPTON_ENV=production refuses the demo tokens, the dev identity provider and its demo password, naming each key', () => {
    let message = '';
    try {
      loadConfig(DEMO, { KRYPTON_ENV: 'production' });
    } catch (e) {
      message = e.message;
    }
    expect(message).toContain('users.0.tokenSha256: is the hash of a published demo token: refused in production');
    expect(message).toContain('users.4.tokenSha256: is the hash of a published demo token');
    expect(message).toContain('users.6.tokenSha256: is the hash of a published demo token');
    expect(message).toContain('auth.devIdp.passwordHash: is the hash of the published demo password: refused in production');
  });

  it('in production, a dev identity provider with another password is still refused; own tokens are fine', () => {
    const demo = parse(readFileSync(DEMO, 'utf8'));
    const own = { ...demo, users: [{ name: 'ops', roles: ['admin'], tokenSha256: 'a'.repeat(64) }] };
    expect(() => loadConfig(write({ ...own, auth: { ...demo.auth, devIdp: { ...demo.auth.devIdp, passwordHash: hashPassword('another') } } }), { KRYPTON_ENV: 'production' })).toThrow(
      /auth\.devIdp: the development identity provider may not run in production/,
    );
    const { devIdp: _devIdp, login: _login, ...auth } = demo.auth;
    expect(loadConfig(write({ ...own, auth }), { KRYPTON_ENV: 'production' }).environment).toBe('production');
  });

  it('names an unknown login issuer and a client-credentials client without a user', () => {
    const demo = parse(readFileSync(DEMO, 'utf8'));
    expect(() => loadConfig(write({ ...demo, auth: { ...demo.auth, login: { ...demo.auth.login, issuer: 'nope' } } }), {})).toThrow(/auth\.login\.issuer: unknown issuer "nope"/);
    const clients = [{ clientId: 'bot', clientSecret: 's', grantTypes: ['client_credentials'] }];
    expect(() => loadConfig(write({ ...demo, auth: { ...demo.auth, devIdp: { ...demo.auth.devIdp, clients } } }), {})).toThrow(/auth\.devIdp\.clients\.0\.actsAs: required with client_credentials/);
  });

  it('password hashes verify the password they were made from only', () => {
    const h = hashPassword('s3cret');
    expect(verifyPassword('s3cret', h)).toBe(true);
    expect(verifyPassword('s3cret!', h)).toBe(false);
    expect(verifyPassword(DEMO_PASSWORD, 'scrypt$bm9$bm9')).toBe(false);
  });
});
