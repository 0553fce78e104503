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
  - name: CT to the other hub
    match: { sourceAes: [MODALITY3], modalities: [CT] }
    actions: { route: [{ destination: PEER_HUB }] }
`;

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';

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
  /** Another Krypton hub (its own database, storage, Redis db, Temporal namespace and api) whose STOW-RS stores uncompressed objects only. */
  let peer: Hub;
  let orthanc: OrthancPeer;
  let seed = 500;

  function ctStudy(count: number): { uid: string; files: string[] } {
    const dir = join(hub.dir, `gen-${++seed}`);
    const uid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', `WEB-${seed}`], { encoding: 'utf8' }).trim();
    return { uid, files: readdirSync(dir).map((f) => join(dir, f)) };
  }

  /** A CT study whose first instance is JPEG-LS lossless (dcmcjpls), the rest explicit VR: stored by the hub as received (storescu -xt). */
  function ctStudyWithJpegLs(count: number, callingAe: string): { uid: string; jpegLsSop: string } {
    const study = ctStudy(count);
    const jls = `${study.files[0]}.jls`;
    expect(dcmtk('dcmcjpls', [study.files[0], jls]).status).toBe(0);
    const sent = dcmtk('storescu', ['-xt', ...hub.scu(callingAe), jls, ...study.files.slice(1)]);
    expect(sent.status).toBe(0);
    const sop = dcmtk('dcmdump', ['+P', '0008,0018', jls]).stdout.match(/\[([0-9.]+)\]/)?.[1] as string;
    return { uid: study.uid, jpegLsSop: sop };
  }

  /** The catalogue's transfer syntax per SOP Instance UID of a study, once it holds `count` instances. */
  async function syntaxes(h: Hub, studyUid: string, count: number): Promise<Record<string, string>> {
    const rows = await waitFor(
      `${count} instances of ${studyUid} indexed by ${h.opts.name}`,
      async () => {
        const r = await h.sql<{ sop: string; ts: string }>(
          `SELECT i.sop_instance_uid AS sop, i.transfer_syntax_uid AS ts FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk WHERE st.study_uid = $1`,
          [studyUid],
        );
        return r.length === count ? r : null;
      },
      60_000,
      250,
    );
    return Object.fromEntries(rows.map((r) => [r.sop, r.ts]));
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
      aes: [{ aeTitle: 'MODALITY3', site: 'region' }],
      env: { KRYPTON_SELF_TOKEN: 'demo-admin-token', KRYPTON_BAD_TOKEN: 'not-a-token', KRYPTON_PEER_TOKEN: 'demo-admin-token' },
      config: { forwarding: { retryInitialSeconds: 0.5, retryMaxSeconds: 1, giveUpAfterHours: 1 } },
    });
    peer = new Hub({ name: 'stow-peer', redisDb: 16, config: { ingest: { stowTransferSyntaxes: [EXPLICIT_LE, IMPLICIT_LE] } } });
    await Promise.all([hub.prepare(), peer.prepare()]);
    // The web destinations name the suite's ports, known once the hub is prepared.
    const cfg = parse(readFileSync(hub.configFile, 'utf8'));
    cfg.webDestinations = [
      { name: 'ORTHANC_WEB', url: `http://127.0.0.1:${oHttp}/dicom-web`, site: 'chu-nord', instancesPerRequest: 2 },
      { name: 'SELF_HUB', kind: 'krypton-hub', url: `http://127.0.0.1:${hub.httpPort}/dicomweb`, site: 'chu-nord', tokenEnv: 'KRYPTON_SELF_TOKEN' },
      { name: 'BAD_HUB', kind: 'krypton-hub', url: `http://127.0.0.1:${hub.httpPort}/dicomweb`, site: 'chu-nord', tokenEnv: 'KRYPTON_BAD_TOKEN' },
      // Declares what it stores: a JPEG-LS object is transcoded before it is sent.
      { name: 'ORTHANC_NATIVE', url: `http://127.0.0.1:${oHttp}/dicom-web`, site: 'chu-nord', transferSyntaxes: [EXPLICIT_LE] },
      // Declares nothing: its 0xC122 answer makes the hub transcode and send again.
      { name: 'PEER_HUB', kind: 'krypton-hub', url: `http://127.0.0.1:${peer.httpPort}/dicomweb`, site: 'chu-nord', tokenEnv: 'KRYPTON_PEER_TOKEN' },
    ];
    writeFileSync(hub.configFile, stringify(cfg));
    mkdirSync(join(hub.dir, 'protocols'), { recursive: true });
    writeFileSync(join(hub.dir, 'protocols', 'web.yaml'), PROTOCOL);
    for (const h of [hub, peer]) for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) h.startApp(app);
    await Promise.all([hub.waitHealthy(), peer.waitHealthy()]);
    orthanc = new OrthancPeer(join(hub.dir, 'orthanc'), oDicom, oHttp, 'ORTHANC', {
      Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
    });
  });

  afterAll(async () => {
    await orthanc?.stop();
    await Promise.all([hub?.stop(), peer?.stop()]);
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

  it('transcodes a JPEG-LS object for a STOW-RS destination that declares the syntaxes it stores (Orthanc DICOMweb)', async () => {
    const study = ctStudyWithJpegLs(2, 'MODALITY2');
    const stored = await syntaxes(hub, study.uid, 2);
    expect(stored[study.jpegLsSop]).toBe(JPEG_LS_LOSSLESS);
    const res = await hub.api(`/studies/${study.uid}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: 'ORTHANC_NATIVE' }) });
    expect(res.status).toBe(202);
    const done = await waitFor(
      'the send to ORTHANC_NATIVE',
      async () => (await forwards(study.uid)).find((f) => f.id.includes('ORTHANC_NATIVE') && !['running', 'waiting-for-destination'].includes(f.state)),
      90_000,
      250,
    );
    expect(done).toMatchObject({ state: 'completed', total: 2, sent: 2, failed: 0 });
    const [found] = (await (await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: study.uid })).json()) as { ID: string }[];
    const ids = (await (await fetch(`${orthanc.url}/studies/${found.ID}/instances`)).json()) as { ID: string }[];
    expect(ids.length).toBe(2);
    for (const { ID } of ids) expect(await (await fetch(`${orthanc.url}/instances/${ID}/metadata/TransferSyntax`)).text()).toBe(EXPLICIT_LE);
  });

  it('routes a study by protocol to another Krypton hub, transcoding the part it refuses (0xC122); the copy is listed by its QIDO-RS and delivered here', async () => {
    const study = ctStudyWithJpegLs(3, 'MODALITY3');
    expect((await syntaxes(hub, study.uid, 3))[study.jpegLsSop]).toBe(JPEG_LS_LOSSLESS);
    const done = await waitFor(
      'the routing to PEER_HUB',
      async () => (await forwards(study.uid)).find((f) => f.id.includes('PEER_HUB') && ['completed', 'waiting-for-operator'].includes(f.state)),
      90_000,
      250,
    );
    expect(done).toMatchObject({ state: 'completed', total: 3, sent: 3, failed: 0, lastError: null });
    expect(done.id).toBe(`route-web-PEER_HUB-${study.uid}`);
    // The other hub's own catalogue and QIDO-RS: the study is there, the JPEG-LS part as explicit VR.
    expect((await syntaxes(peer, study.uid, 3))[study.jpegLsSop]).toBe(EXPLICIT_LE);
    const listed = await waitFor(
      'the study in the peer hub QIDO-RS',
      async () => {
        const r = await peer.api(`/dicomweb/studies?StudyInstanceUID=${study.uid}`, { headers: { accept: 'application/dicom+json' } });
        return r.status === 200 ? ((await r.json()) as Record<string, { Value?: unknown[] }>[]) : null;
      },
      60_000,
      250,
    );
    expect(listed.map((s) => s['0020000D']?.Value?.[0])).toEqual([study.uid]);
    expect(listed[0]['00201208']?.Value?.[0]).toBe(3);
  });
});
