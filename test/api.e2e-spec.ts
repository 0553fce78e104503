import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { waitFor } from './support/wait-for';

jest.setTimeout(120_000);

describe('HTTP API: health, authentication, OpenAPI, configuration errors', () => {
  const hub = new Hub({ name: 'api', redisDb: 3 });

  beforeAll(async () => {
    await hub.start();
  });

  afterAll(async () => {
    await hub.stop();
  });

  it('reports every part up', async () => {
    const res = await fetch(`${hub.baseUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.status).toBe('up');
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'gateway', 'hl7Gateway', 'redis', 'temporal', 'worker']);
  });

  it('requires a bearer token everywhere but /health, and says so', async () => {
    const none = await fetch(`${hub.baseUrl}/dicomweb/studies`);
    expect(none.status).toBe(401);
    expect(JSON.stringify(await none.json())).toMatch(/bearer token is required/);
    const wrong = await fetch(`${hub.baseUrl}/forwards/x`, { headers: { Authorization: 'Bearer not-a-token' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${hub.baseUrl}/forwards/x`, { headers: { Authorization: 'Bearer demo-referrer-token' } });
    expect(ok.status).toBe(404);
  });

  it('publishes an OpenAPI document of the REST API', async () => {
    const res = await fetch(`${hub.baseUrl}/api-docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/studies/{studyUid}/send', '/forwards/{id}', '/dicomweb/studies']));
  });

  it('answers 503 naming the part that is down', async () => {
    await hub.stopApp('dicom-gateway');
    const body = await waitFor('gateway reported down', async () => {
      const res = await fetch(`${hub.baseUrl}/health`);
      return res.status === 503 ? ((await res.json()) as any) : null;
    });
    expect(body.down).toEqual(['gateway']);
    expect(body.checks.gateway.detail).toMatch(/no DICOM gateway/);
    hub.startApp('dicom-gateway');
    await hub.waitHealthy();
  });

  it('refuses to start with an invalid configuration, naming the key', () => {
    const bad = join(hub.dir, 'bad.yaml');
    writeFileSync(bad, 'dicom:\n  aeTitle: "WAY TOO LONG FOR AN AE TITLE"\n  port: 70000\n');
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/dicom-gateway/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, KRYPTON_CONFIG: bad },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/dicom\.aeTitle/);
    expect(r.stderr).toMatch(/dicom\.port/);
  });
});
