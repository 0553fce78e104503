import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';
import { recordHistory } from './support/histories';

jest.setTimeout(300_000);

const IMPLICIT_LE = '1.2.840.10008.1.2';
const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';

/** v1 routes by calling AE: MODALITY1 → ORTHANC, MODALITY2 → NARROW, MODALITY3 → LOSSY, MODALITY4 → PICKY. */
const PROTOCOL_V1 = `id: regional
name: Regional routing (test)
rules:
  - name: site A to the regional PACS
    match: { sourceAes: [MODALITY1], modalities: [CT] }
    actions: { route: [{ destination: ORTHANC }] }
  - name: site B to the implicit-only archive
    match: { sourceAes: [MODALITY2] }
    actions: { route: [{ destination: NARROW }] }
  - name: site C to the archive that loses instances
    match: { sourceAes: [MODALITY3] }
    actions: { route: [{ destination: LOSSY }] }
  - name: site D to the archive that takes JPEG baseline only
    match: { sourceAes: [MODALITY4] }
    actions: { route: [{ destination: PICKY }] }
`;

/** JPEG baseline (lossy): the only syntax PICKY accepts at first. The hub never degrades an image to reach it. */
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

interface Forward {
  id: string;
  state: string;
  total: number;
  sent: number;
  failed: number;
  lastError: string | null;
  origin: { protocolId: string; version: number; rule: string } | null;
}

/**
 * Protocol routing on the real stack: protocols through the API, a study made stable by storescu,
 * routed by the worker to real Orthanc destinations (storage commitment answered by Orthanc's
 * N-EVENT-REPORT to the hub's gateway), transcoding for a destination that refuses the stored
 * syntax, a commitment failure resolved by an operator, and the destination's queue.
 */
describe('protocol routing (real Orthanc destinations)', () => {
  let hub: Hub;
  let orthanc: OrthancPeer;
  let narrow: OrthancPeer;
  let lossy: OrthancPeer;
  let picky: OrthancPeer;
  let ports: number[];
  let seed = 100;

  function generate(count: number, patientId: string): { uid: string; dir: string; files: string[] } {
    const dir = join(hub.dir, `gen-${++seed}`);
    const uid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', patientId], { encoding: 'utf8' }).trim();
    return {
      uid,
      dir,
      files: readdirSync(dir)
        .map((f) => join(dir, f))
        .sort(),
    };
  }

  function storescu(callingAe: string, files: string[]): void {
    const r = dcmtk('storescu', [...hub.scu(callingAe), ...files]);
    if (r.status !== 0) throw new Error(`storescu: ${r.stderr}`);
  }

  async function forwards(studyUid: string): Promise<Forward[]> {
    const res = await hub.api(`/studies/${studyUid}/forwards`);
    expect(res.status).toBe(200);
    return (await res.json()) as Forward[];
  }

  async function forwardIn(studyUid: string, states: string[]): Promise<Forward> {
    return waitFor(`a forward of ${studyUid} in ${states.join('/')}`, async () => (await forwards(studyUid)).find((f) => states.includes(f.state)), 90_000, 250);
  }

  async function post(path: string, body: unknown, contentType = 'application/json', token?: string): Promise<Response> {
    return hub.api(path, {
      method: path.includes('/publish') || path.includes('/validate') || path.includes('/simulate') || path.includes('/actions') ? 'POST' : 'PUT',
      headers: { 'content-type': contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    ports = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => freePort()));
    hub = new Hub({
      name: 'routing',
      redisDb: 5,
      aes: [
        { aeTitle: 'MODALITY3', site: 'region' },
        { aeTitle: 'MODALITY4', site: 'region' },
        { name: 'PICKY', aeTitle: 'PICKY', site: 'region', host: '127.0.0.1', port: ports[6], kind: 'pacs' },
        { name: 'ORTHANC', aeTitle: 'ORTHANC', site: 'region', host: '127.0.0.1', port: ports[0], kind: 'pacs', storageCommitment: true },
        { name: 'NARROW', aeTitle: 'NARROW', site: 'region', host: '127.0.0.1', port: ports[2], kind: 'pacs' },
        { name: 'LOSSY', aeTitle: 'LOSSY', site: 'region', host: '127.0.0.1', port: ports[4], kind: 'pacs', storageCommitment: true },
      ],
      config: { forwarding: { batchSize: 200, retryInitialSeconds: 0.5, retryMaxSeconds: 1, giveUpAfterHours: 1 }, routing: { commitmentTimeoutSeconds: 60 } },
    });
    await hub.prepare();
    // The protocol file seeds the store at start (version 1, published).
    mkdirSync(join(hub.dir, 'protocols'), { recursive: true });
    writeFileSync(join(hub.dir, 'protocols', 'regional.yaml'), PROTOCOL_V1);
    for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) hub.startApp(app);
    await hub.waitHealthy();
    const reportTo = { DicomModalities: { krypton: ['KRYPTON', '127.0.0.1', hub.dicomPort] } };
    orthanc = new OrthancPeer(join(hub.dir, 'orthanc'), ports[0], ports[1], 'ORTHANC', reportTo);
    // Takes implicit VR little endian only: every stored syntax must be transcoded for it.
    narrow = new OrthancPeer(join(hub.dir, 'narrow'), ports[2], ports[3], 'NARROW', { ...reportTo, AcceptedTransferSyntaxes: [IMPLICIT_LE] });
    // Answers C-STORE with success, then drops instance 2: its storage commitment must fail.
    const lua = join(hub.dir, 'lossy.lua');
    writeFileSync(lua, `function OnStoredInstance(id, tags, metadata, origin)\n  if tags['InstanceNumber'] == '2' then RestApiDelete('/instances/' .. id) end\nend\n`);
    lossy = new OrthancPeer(join(hub.dir, 'lossy'), ports[4], ports[5], 'LOSSY', { ...reportTo, LuaScripts: [lua] });
    picky = new OrthancPeer(join(hub.dir, 'picky'), ports[6], ports[7], 'PICKY', { AcceptedTransferSyntaxes: [JPEG_BASELINE] });
    await Promise.all([narrow.start(), lossy.start(), picky.start()]);
  });

  afterAll(async () => {
    await Promise.all([orthanc?.stop(), narrow?.stop(), lossy?.stop(), picky?.stop()]);
    await hub?.stop();
  });

  it('validates a protocol with every error and its path; saves, simulates and publishes versions (admins only)', async () => {
    const bad = await post(
      '/protocols/validate',
      'id: regional\nname: x\nrules:\n  - name: r\n    match: { modalities: [], timeWindow: { from: "25:00" } }\n    actions: { route: [{ destination: MARS }] }\n',
      'application/yaml',
    );
    expect(bad.status).toBe(200);
    const verdict = (await bad.json()) as { valid: boolean; errors: { path: string; message: string }[] };
    expect(verdict.valid).toBe(false);
    expect(verdict.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['rules[0].match.modalities', 'rules[0].match.timeWindow.from']));
    const unknownDest = await post('/protocols/validate', { id: 'x', name: 'x', rules: [{ name: 'r', actions: { route: [{ destination: 'MARS' }] } }] });
    expect(((await unknownDest.json()) as any).errors).toEqual([{ path: 'rules[0].actions.route[0].destination', message: 'unknown destination "MARS"' }]);

    const list = (await (await hub.api('/protocols')).json()) as { id: string; version: number; live: boolean }[];
    expect(list).toEqual([expect.objectContaining({ id: 'regional', version: 1, live: true })]);

    const refused = await post('/protocols/regional', PROTOCOL_V1, 'application/yaml', 'demo-coordinator-token');
    expect(refused.status).toBe(403);
    const invalid = await post('/protocols/regional', 'id: regional\nname: x\nrules: []\n', 'application/yaml');
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as any).errors).toEqual([expect.objectContaining({ path: 'rules' })]);
  });

  it('routes a stable study to a destination that is down, shows it waiting in the queue, and delivers with storage commitment once it is up', async () => {
    const study = generate(3, 'ROUTE-1');
    storescu('MODALITY1', study.files);
    const waiting = await forwardIn(study.uid, ['waiting-for-destination']);
    expect(waiting.origin).toEqual({ protocolId: 'regional', version: 1, rule: 'site A to the regional PACS' });
    const queue = (await (await hub.api('/destinations/ORTHANC/queue')).json()) as { waiting: Forward[]; storageCommitment: boolean };
    expect(queue.storageCommitment).toBe(true);
    expect(queue.waiting).toEqual([expect.objectContaining({ id: waiting.id, state: 'waiting-for-destination', lastError: expect.stringMatching(/ORTHANC@127.0.0.1/) })]);

    await orthanc.start();
    const done = await forwardIn(study.uid, ['completed']);
    expect(done).toMatchObject({ total: 3, sent: 3, failed: 0 });
    expect((await orthanc.instances()).length).toBe(3);
    const [commitment] = await hub.sql<{ state: string; committed: number }>('SELECT state, committed FROM storage_commitment WHERE job_id = $1', [done.id]);
    expect(commitment).toEqual({ state: 'committed', committed: 3 });
    expect(((await (await hub.api('/destinations/ORTHANC/queue')).json()) as any).waiting).toEqual([]);
    // The decision is kept with the protocol version that made it.
    const decisions = (await (await hub.api(`/studies/${study.uid}/routing`)).json()) as any[];
    expect(decisions).toEqual([expect.objectContaining({ protocolId: 'regional', protocolVersion: 1, destinations: ['ORTHANC'] })]);
    await recordHistory(`study-${study.uid}`, 'study-lifecycle-routed', hub.namespace);
    await recordHistory(done.id, 'forward-study-routed-down-then-committed', hub.namespace);

    const sim = await post('/protocols/simulate', { protocolId: 'regional', days: 1 });
    expect(sim.status).toBe(200);
    const result = (await sim.json()) as { studiesMatched: number; byDestination: Record<string, number>; matches: { studyUid: string; destinations: string[] }[] };
    expect(result.byDestination.ORTHANC).toBeGreaterThanOrEqual(1);
    expect(result.matches).toEqual(expect.arrayContaining([expect.objectContaining({ studyUid: study.uid, destinations: ['ORTHANC'] })]));
  });

  it('transcodes for a destination that refuses the stored transfer syntax (explicit VR and JPEG lossless to implicit VR)', async () => {
    const study = generate(2, 'ROUTE-2');
    const jpeg = join(study.dir, 'jpeg.dcm');
    const r = dcmtk('dcmcjpeg', ['+e1', study.files[1], jpeg]);
    expect(r.status).toBe(0);
    // -xs: storescu proposes JPEG lossless as well as uncompressed, so the hub stores each file as it is.
    const sent = dcmtk('storescu', ['-xs', ...hub.scu('MODALITY2'), study.files[0], jpeg]);
    expect(sent.status).toBe(0);
    const [stored] = await waitFor('both stored', async () => {
      const rows = await hub.sql<{ ts: string[] }>(
        `SELECT array_agg(i.transfer_syntax_uid ORDER BY i.transfer_syntax_uid) AS ts FROM instance i JOIN series s ON s.id = i.series_fk JOIN study st ON st.id = s.study_fk WHERE st.study_uid = $1 HAVING count(*) = 2`,
        [study.uid],
      );
      return rows.length ? rows : null;
    });
    expect(stored.ts).toEqual(['1.2.840.10008.1.2.1', JPEG_LOSSLESS_SV1]);
    const done = await forwardIn(study.uid, ['completed', 'waiting-for-operator']);
    expect(done).toMatchObject({ state: 'completed', sent: 2, failed: 0 });
    const ids = await narrow.instances();
    expect(ids.length).toBe(2);
    for (const id of ids) {
      expect(await (await fetch(`${narrow.url}/instances/${id}/metadata/TransferSyntax`)).text()).toBe(IMPLICIT_LE);
    }
  });

  it('does not call a copy delivered when storage commitment fails: the routing waits for an operator, who skips it', async () => {
    const study = generate(3, 'ROUTE-3');
    storescu('MODALITY3', study.files);
    const waiting = await forwardIn(study.uid, ['waiting-for-operator', 'completed']);
    expect(waiting.state).toBe('waiting-for-operator');
    expect(waiting.lastError).toMatch(/storage commitment failed for 1 instance/);
    expect(waiting.failed).toBe(1);
    const queue = (await (await hub.api('/destinations/LOSSY/queue')).json()) as { waiting: Forward[] };
    expect(queue.waiting.map((w) => w.state)).toEqual(['waiting-for-operator']);

    const badReroute = await post(`/forwards/${encodeURIComponent(waiting.id)}/actions`, { action: 'reroute', destination: 'MARS' });
    expect(badReroute.status).toBe(422);
    const skip = await post(`/forwards/${encodeURIComponent(waiting.id)}/actions`, { action: 'skip', reason: 'instance 2 archived by hand' });
    expect(skip.status).toBe(200);
    const skipped = await forwardIn(study.uid, ['skipped']);
    expect(skipped.lastError).toBe('skipped: instance 2 archived by hand');
    const again = await post(`/forwards/${encodeURIComponent(waiting.id)}/actions`, { action: 'retry' });
    expect(again.status).toBe(409);
    await recordHistory(waiting.id, 'forward-study-commitment-failed-skipped', hub.namespace);
  });

  it('refuses, rather than degrades, instances a destination would take only in a lossy syntax; an operator retries once it takes them', async () => {
    const study = generate(2, 'ROUTE-6');
    storescu('MODALITY4', study.files);
    const waiting = await forwardIn(study.uid, ['waiting-for-operator', 'completed']);
    expect(waiting).toMatchObject({ state: 'waiting-for-operator', total: 2, sent: 0, failed: 2, lastError: '2 instance(s) refused by PICKY' });
    const detail = (await (await hub.api(`/forwards/${encodeURIComponent(waiting.id)}`)).json()) as { refused: { status: number; detail: string }[] };
    // 0x0122: no presentation context accepted (the hub proposes the stored syntax and uncompressed ones, never a lossy one).
    expect(detail.refused.map((r) => r.status)).toEqual([0x0122, 0x0122]);
    expect(await picky.instances()).toEqual([]);

    // The archive is reconfigured to take uncompressed images; the operator sends the refused instances again.
    await picky.stop();
    picky = new OrthancPeer(join(hub.dir, 'picky'), ports[6], ports[7], 'PICKY', { AcceptedTransferSyntaxes: [JPEG_BASELINE, IMPLICIT_LE] });
    await picky.start();
    const retry = await post(`/forwards/${encodeURIComponent(waiting.id)}/actions`, { action: 'retry' });
    expect(retry.status).toBe(200);
    expect(await forwardIn(study.uid, ['completed'])).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect((await picky.instances()).length).toBe(2);
  });

  it('a published new version applies to the next study; a routing keeps the version it started with', async () => {
    const v2 = PROTOCOL_V1.replace('name: Regional routing (test)', 'name: Regional routing (test, v2)').replace('site A to the regional PACS', 'site A, v2');
    const saved = await post('/protocols/regional', v2, 'application/yaml');
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ id: 'regional', version: 2, live: false });
    await orthanc.stop();
    const before = generate(1, 'ROUTE-4');
    storescu('MODALITY1', before.files);
    const v1Routing = await forwardIn(before.uid, ['waiting-for-destination']);
    expect(v1Routing.origin?.version).toBe(1);

    const published = await post('/protocols/regional/publish', { version: 2 });
    expect(published.status).toBe(200);
    const after = generate(1, 'ROUTE-5');
    storescu('MODALITY1', after.files);
    const v2Routing = await forwardIn(after.uid, ['waiting-for-destination']);
    expect(v2Routing.origin).toEqual({ protocolId: 'regional', version: 2, rule: 'site A, v2' });

    await orthanc.start();
    expect((await forwardIn(before.uid, ['completed'])).origin?.version).toBe(1);
    expect((await forwardIn(after.uid, ['completed'])).origin?.version).toBe(2);
  });
});
