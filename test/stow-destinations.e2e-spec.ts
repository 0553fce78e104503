import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

jest.setTimeout(300_000);

const PROTOCOL = `id: web
name: CT to the DICOMweb archive (test)
rules:
  - name: CT over STOW-RS
    match: { sourceAes: [MODALITY1], modalities: [CT] }
    actions: { route: [{ destination: ORTHANC_WEB }] }
`;

interface Forward {
  id: string;
  state: string;
  total: number;
  sent: number;
  failed: number;
  lastError: string | null;
}

/**
 * Destinations over HTTP through the same routing machinery as AEs: a DICOMweb peer (Orthanc with
 * its DICOMweb plugin) reached by STOW-RS from a protocol, down then up; another Krypton hub (this
 * hub's own STOW-RS endpoint, with a bearer token from the environment) by a manual send; and a
 * peer that refuses the request (wrong token), which a manual send records as failed.
 */
describe('STOW-RS destinations (Orthanc DICOMweb, a Krypton hub)', () => {
  let hub: Hub;
  let orthanc: OrthancPeer;
  let seed = 500;

  function ctStudy(count: number): { uid: string; files: string[] } {
    const dir = join(hub.dir, `gen-${++seed}`);
    const uid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', `WEB-${seed}`], { encoding: 'utf8' }).trim();
    return { uid, files: readdirSync(dir).map((f) => join(dir, f)) };
  }

  async function forwards(studyUid: string): Promise<Forward[]> {
    return (await (await hub.api(`/studies/${studyUid}/forwards`)).json()) as Forward[];
  }

  const forwardIn = (studyUid: string, states: string[]) =>
    waitFor(`a forward of ${studyUid} in ${states.join('/')}`, async () => (await forwards(studyUid)).find((f) => states.includes(f.state)), 90_000, 250);

  beforeAll(async () => {
    const [oDicom, oHttp] = await Promise.all([freePort(), freePort()]);
    hub = new Hub({
      name: 'stow-destinations',
      redisDb: 13,
      env: { KRYPTON_SELF_TOKEN: 'demo-admin-token', KRYPTON_BAD_TOKEN: 'not-a-token' },
      config: { forwarding: { retryInitialSeconds: 0.5, retryMaxSeconds: 1, giveUpAfterHours: 1 } },
    });
    await hub.prepare();
    // The web destinations name the suite's ports, known once the hub is prepared.
    const cfg = parse(readFileSync(hub.configFile, 'utf8'));
    cfg.webDestinations = [
      { name: 'ORTHANC_WEB', url: `http://127.0.0.1:${oHttp}/dicom-web`, site: 'chu-nord', instancesPerRequest: 2 },
      { name: 'SELF_HUB', kind: 'krypton-hub', url: `http://127.0.0.1:${hub.httpPort}/dicomweb`, site: 'chu-nord', tokenEnv: 'KRYPTON_SELF_TOKEN' },
      { name: 'BAD_HUB', kind: 'krypton-hub', url: `http://127.0.0.1:${hub.httpPort}/dicomweb`, site: 'chu-nord', tokenEnv: 'KRYPTON_BAD_TOKEN' },
    ];
    writeFileSync(hub.configFile, stringify(cfg));
    mkdirSync(join(hub.dir, 'protocols'), { recursive: true });
    writeFileSync(join(hub.dir, 'protocols', 'web.yaml'), PROTOCOL);
    for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) hub.startApp(app);
    await hub.waitHealthy();
    orthanc = new OrthancPeer(join(hub.dir, 'orthanc'), oDicom, oHttp, 'ORTHANC', {
      Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
    });
  });

  afterAll(async () => {
    await orthanc?.stop();
    await hub?.stop();
  });

  it('routes a study by STOW-RS to a DICOMweb peer that is down, then delivers once it is up', async () => {
    const study = ctStudy(5);
    const r = dcmtk('storescu', [...hub.scu('MODALITY1'), ...study.files]);
    expect(r.status).toBe(0);
    const waiting = await forwardIn(study.uid, ['waiting-for-destination']);
    expect(waiting.lastError).toMatch(/ORTHANC_WEB/);
    const queue = (await (await hub.api('/destinations/ORTHANC_WEB/queue')).json()) as { protocol: string; waiting: { studyUid: string }[] };
    expect(queue.protocol).toBe('stow');
    expect(queue.waiting.map((w) => w.studyUid)).toContain(study.uid);
    await orthanc.start();
    const done = await forwardIn(study.uid, ['completed']);
    expect(done).toMatchObject({ total: 5, sent: 5, failed: 0 });
    expect((await orthanc.sopInstanceUids()).length).toBe(5);
  });

  it('sends to another Krypton hub with its bearer token, and records a refused request as failed', async () => {
    const study = ctStudy(2);
    expect(dcmtk('storescu', [...hub.scu('MODALITY2'), ...study.files]).status).toBe(0);
    await waitFor('study indexed', async () => (await hub.sql(`SELECT 1 FROM study WHERE study_uid = $1 AND stable_at IS NOT NULL`, [study.uid])).length === 1, 60_000, 250);
    const send = (destination: string) => hub.api(`/studies/${study.uid}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination }) });
    expect((await send('SELF_HUB')).status).toBe(202);
    const ok = await waitFor('the send to the hub', async () => (await forwards(study.uid)).find((f) => f.id.includes('SELF_HUB') && f.state === 'completed'), 90_000, 250);
    expect(ok).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect((await send('BAD_HUB')).status).toBe(202);
    const refused = await waitFor('the refused send', async () => (await forwards(study.uid)).find((f) => f.id.includes('BAD_HUB') && f.state === 'failed'), 90_000, 250);
    expect(refused.lastError).toMatch(/BAD_HUB refused the STOW-RS request: HTTP 401/);
  });
});
