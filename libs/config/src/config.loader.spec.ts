import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, findDestination, defaultIssuerFor } from './config.loader';
import { ConfigError } from './config-error';

function write(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'krypton-cfg-'));
  const file = join(dir, 'k.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const cfg = loadConfig(write(''), {});
    expect(cfg.http.port).toBe(8080);
    expect(cfg.dicom).toMatchObject({ port: 11112, aeTitle: 'KRYPTON' });
    expect(cfg.temporal.address).toBe('127.0.0.1:7233');
    expect(cfg.database.url).toContain('/krypton');
  });

  it('lets environment variables win over the file', () => {
    const cfg = loadConfig(write('http:\n  port: 9000\n'), { HTTP_PORT: '9100', DICOM_AE_TITLE: 'HUB' });
    expect(cfg.http.port).toBe(9100);
    expect(cfg.dicom.aeTitle).toBe('HUB');
  });

  it('config/docker.yaml is production-safe: no static or demo tokens, no development provider, OIDC from the environment', () => {
    const file = join(__dirname, '../../../config/docker.yaml');
    const env = { KRYPTON_OIDC_ISSUER: 'https://idp.example.org/realms/hub', KRYPTON_OIDC_AUDIENCE: 'urn:krypton:api', KRYPTON_OIDC_CLIENT_ID: 'krypton-viewer' };
    const cfg = loadConfig(file, env);
    expect(cfg.environment).toBe('production');
    expect(cfg.users).toEqual([]);
    expect(cfg.auth.devIdp).toBeUndefined();
    expect(cfg.auth.issuers).toEqual([expect.objectContaining({ id: 'oidc', issuer: env.KRYPTON_OIDC_ISSUER, audience: env.KRYPTON_OIDC_AUDIENCE })]);
    expect(cfg.auth.login).toMatchObject({ issuer: 'oidc', clientId: 'krypton-viewer' });
    // Without the provider it does not start, naming what is missing.
    expect(() => loadConfig(file, {})).toThrow(/auth\.issuers\.0\.issuer/);
    // The demo tokens put back are refused.
    const demo = write(readFileSync(file, 'utf8').replace('users: []', 'users: [{ name: demo-admin, roles: [admin], tokenSha256: 91c16f0d6cc1bec3c3603972182a07c66ff4fa71618a975e963d6dbe42b6dd37 }]'));
    expect(() => loadConfig(demo, env)).toThrow(/published demo token/);
  });

  it('names the bad key', () => {
    const file = write('dicom:\n  aeTitle: "THIS AE TITLE IS FAR TOO LONG"\n');
    expect(() => loadConfig(file, {})).toThrow(/dicom\.aeTitle/);
  });

  it('rejects an AE that points at an unknown site', () => {
    const file = write('sites: [{id: a, name: A}]\naes: [{aeTitle: X, site: b}]\n');
    try {
      loadConfig(file, {});
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual(['aes.0.site: unknown site "b"']);
    }
  });

  it("reads a calling AE's default Issuer of Patient ID and validates it", () => {
    const cfg = loadConfig(write('sites: [{id: a, name: A}]\naes: [{aeTitle: WS1, site: a, defaultIssuerOfPatientId: " CHU-NORD "}, {aeTitle: WS2, site: a}]\n'), {});
    expect(defaultIssuerFor(cfg, 'WS1')).toBe('CHU-NORD');
    expect(defaultIssuerFor(cfg, 'WS2')).toBeUndefined();
    const problems = (yaml: string) => {
      try {
        loadConfig(write(yaml), {});
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems('sites: [{id: a, name: A}]\naes: [{aeTitle: WS1, site: a, defaultIssuerOfPatientId: "A\\\\B"}]\n')).toEqual([
      'aes.0.defaultIssuerOfPatientId: must be at most 64 characters without backslash or control characters',
    ]);
    expect(problems(`sites: [{id: a, name: A}]\naes: [{aeTitle: WS1, site: a, defaultIssuerOfPatientId: "${'X'.repeat(65)}"}]\n`)[0]).toMatch(/^aes\.0\.defaultIssuerOfPatientId: /);
    expect(problems('sites: [{id: a, name: A}]\naes: [{aeTitle: WS1, site: a, defaultIssuerOfPatientId: "1.2.250.1.213.1.4.8"}]\n')).toEqual([
      "aes.0.defaultIssuerOfPatientId: an INS authority is not a site's patient numbering",
    ]);
    expect(problems('sites: [{id: a, name: A}]\naes: [{aeTitle: WS1, site: a, defaultIssuerOfPatientId: X}, {name: W, aeTitle: WS1, site: a, defaultIssuerOfPatientId: Y}]\n')[0]).toMatch(
      /AE title WS1 is given different default issuers: X, Y/,
    );
  });

  it('finds a destination by name or AE title', () => {
    const cfg = loadConfig(write('sites: [{id: a, name: A}]\naes: [{name: PACS, aeTitle: ORTHANC, site: a, host: 127.0.0.1, port: 4242}, {aeTitle: MOD, site: a}]\n'), {});
    expect(findDestination(cfg, 'PACS')?.port).toBe(4242);
    expect(findDestination(cfg, 'ORTHANC')?.name).toBe('PACS');
    expect(findDestination(cfg, 'MOD')).toBeUndefined();
  });
});
