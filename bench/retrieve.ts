/**
 * npm run bench:retrieve — retrieval beside Orthanc (Debian, with its DICOMweb plugin) on the same
 * 300-instance CT study, in one run (issue #13: target ≥ 1.0× on each):
 *  - WADO-RS of the whole study (multipart/related; type="application/dicom"), MB/s;
 *  - series metadata (WADO-RS .../series/{uid}/metadata), milliseconds (median of BENCH_REPEAT);
 *  - C-MOVE of the study to a dcmtk storescp (movescu), instances/s.
 * Both servers are loaded by the same storescu beforehand. BENCH_COUNT (300) and BENCH_REPEAT (5)
 * change the sizes. Ratios are hub/Orthanc for rates and Orthanc/hub for times (above 1: hub better).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { syntheticCt } from './synthetic-ct';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk, startStorescp } from '../test/support/dcmtk';
import { ROOT } from '../test/support/env';
import { ADMIN, Hub } from '../test/support/hub';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait-for';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const OUT = join(ROOT, 'data/bench');
const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

function say(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

function generate(): { studyUid: string; seriesUid: string; files: string[] } {
  const { studyUid, files } = syntheticCt(COUNT, say, 44);
  const dump = dcmtk('dcmdump', ['+P', '0020,000e', files[0]]).stdout;
  const seriesUid = /\[([0-9.]+)\]/.exec(dump)?.[1] as string;
  return { studyUid, seriesUid, files };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Reads a whole response body, counting bytes, without keeping it. */
async function drain(res: Response): Promise<number> {
  let n = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

interface Side {
  wadoMBps: number;
  metadataMs: number;
  moveRate: number;
}

async function measure(name: string, base: string, headers: Record<string, string>, study: string, series: string, move: () => Promise<number>): Promise<Side> {
  const wado: number[] = [];
  let bytes = 0;
  for (let i = 0; i < Math.max(1, Math.ceil(REPEAT / 2)); i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/studies/${study}`, { headers: { ...headers, Accept: 'multipart/related; type="application/dicom"' } });
    if (res.status !== 200) throw new Error(`${name} WADO-RS answered ${res.status}`);
    bytes = await drain(res);
    wado.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  const meta: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/studies/${study}/series/${series}/metadata`, { headers: { ...headers, Accept: 'application/dicom+json' } });
    if (res.status !== 200) throw new Error(`${name} series metadata answered ${res.status}`);
    const items = (await res.json()) as unknown[];
    if (items.length !== COUNT) throw new Error(`${name} series metadata has ${items.length} items, expected ${COUNT}`);
    meta.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const moveSeconds = await move();
  const side = { wadoMBps: bytes / 1048576 / median(wado), metadataMs: median(meta), moveRate: COUNT / moveSeconds };
  say(`${name}: WADO-RS ${side.wadoMBps.toFixed(0)} MB/s (${(bytes / 1048576).toFixed(0)} MB), metadata ${side.metadataMs.toFixed(0)} ms, C-MOVE ${side.moveRate.toFixed(0)} instances/s`);
  return side;
}

/** movescu of the study to a fresh storescp; checks every instance arrived. */
async function cMove(port: number, calledAe: string, study: string): Promise<number> {
  const scpPort = Number(process.env.BENCH_SCP_PORT);
  const dir = join(OUT, `move-${calledAe}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const scp = startStorescp('STORESCP', scpPort, dir);
  try {
    await waitFor('storescp', () => dcmtk('echoscu', ['-aet', 'X', '-aec', 'STORESCP', '127.0.0.1', String(scpPort)]).status === 0);
    const t = process.hrtime.bigint();
    const r = dcmtk(
      'movescu',
      ['-S', '-aet', 'MODALITY1', '-aec', calledAe, '-aem', 'STORESCP', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${study}`, '127.0.0.1', String(port)],
      600_000,
    );
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`movescu to ${calledAe} failed: ${r.stderr.slice(0, 400)}`);
    const received = readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('CT')).length;
    if (received !== COUNT) throw new Error(`C-MOVE from ${calledAe} delivered ${received} instances, expected ${COUNT}`);
    return seconds;
  } finally {
    scp.kill();
  }
}

async function startOrthanc(dicomPort: number, httpPort: number, scpPort: number): Promise<ChildProcess> {
  const dir = join(OUT, 'orthanc-retrieve');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(
    join(dir, 'orthanc.json'),
    JSON.stringify({
      Name: 'bench-orthanc',
      StorageDirectory: join(dir, 'db'),
      IndexDirectory: join(dir, 'db'),
      DicomAet: 'ORTHANC',
      DicomPort: dicomPort,
      HttpPort: httpPort,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      DicomCheckCalledAeTitle: false,
      SyncStorageArea: true,
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      DicomModalities: { STORESCP: ['STORESCP', '127.0.0.1', scpPort], MODALITY1: ['MODALITY1', '127.0.0.1', 1] },
    }),
  );
  const proc = spawn('Orthanc', [join(dir, 'orthanc.json')], { stdio: 'ignore', env: { ...process.env, TCP_NODELAY: '1' } });
  await waitFor('Orthanc', async () => (await fetch(`http://127.0.0.1:${httpPort}/system`)).ok, 30_000);
  return proc;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { studyUid, seriesUid, files } = generate();
  await globalSetup();
  const scpPort = await freePort();
  process.env.BENCH_SCP_PORT = String(scpPort);
  try {
    const [oDicom, oHttp] = [await freePort(), await freePort()];
    const orthanc = await startOrthanc(oDicom, oHttp, scpPort);
    let o: Side;
    try {
      say('loading Orthanc');
      const r = dcmtk('storescu', ['-aet', 'MODALITY1', '-aec', 'ORTHANC', '127.0.0.1', String(oDicom), ...files], 600_000);
      if (r.status !== 0) throw new Error(`storescu to Orthanc failed: ${r.stderr.slice(0, 300)}`);
      o = await measure('Orthanc', `http://127.0.0.1:${oHttp}/dicom-web`, {}, studyUid, seriesUid, () => cMove(oDicom, 'ORTHANC', studyUid));
    } finally {
      orthanc.kill();
    }
    const hub = new Hub({ name: 'bench', redisDb: 9, configuredGatewayProcesses: true, aes: [{ aeTitle: 'STORESCP', site: 'chu-nord', host: '127.0.0.1', port: scpPort, kind: 'workstation' }] });
    await hub.start();
    let h: Side;
    try {
      say('loading the hub');
      const r = dcmtk('storescu', [...hub.scu(), ...files], 600_000);
      if (r.status !== 0) throw new Error(`storescu to the hub failed: ${r.stderr.slice(0, 300)}`);
      await waitFor(
        'QIDO-RS to list the study',
        async () => {
          const res = await hub.api(`/dicomweb/studies?StudyInstanceUID=${studyUid}&includefield=00201208`);
          const [s] = res.status === 200 ? ((await res.json()) as Record<string, { Value?: number[] }>[]) : [];
          return s?.['00201208']?.Value?.[0] === COUNT;
        },
        300_000,
        200,
      );
      h = await measure('hub', `${hub.baseUrl}/dicomweb`, ADMIN, studyUid, seriesUid, () => cMove(hub.dicomPort, 'KRYPTON', studyUid));
    } finally {
      await hub.stop();
    }
    const row = (what: string, hub: number, orthanc: number, ratio: number, unit: string) =>
      console.log(what.padEnd(28) + `${hub.toFixed(1)} ${unit}`.padStart(16) + `${orthanc.toFixed(1)} ${unit}`.padStart(16) + ratio.toFixed(2).padStart(8) + (ratio >= 1 ? '  PASS' : '  FAIL'));
    console.log(`\nRetrieval of a ${COUNT}-instance CT study, loopback, TCP_NODELAY=1 (ratio above 1: the hub is better; target >= 1.0)`);
    console.log(''.padEnd(28) + 'hub'.padStart(16) + 'Orthanc'.padStart(16) + 'ratio'.padStart(8));
    row('WADO-RS study', h.wadoMBps, o.wadoMBps, h.wadoMBps / o.wadoMBps, 'MB/s');
    row('series metadata', h.metadataMs, o.metadataMs, o.metadataMs / h.metadataMs, 'ms');
    row('C-MOVE to storescp', h.moveRate, o.moveRate, h.moveRate / o.moveRate, 'inst/s');
  } finally {
    await globalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
