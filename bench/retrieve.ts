/**
 * npm run bench:retrieve — retrieval beside Orthanc (Debian, with its DICOMweb plugin) on the same
 * 300-instance CT study (issue #13: target ≥ 1.0× on each):
 *  - WADO-RS of the whole study (multipart/related; type="application/dicom"), MB/s;
 *  - series metadata (WADO-RS .../series/{uid}/metadata), milliseconds;
 *  - C-MOVE of the study to a dcmtk storescp (movescu), instances/s.
 * Both servers are loaded by the same storescu and run side by side; once both are idle (no CPU
 * used by their processes for a second), each operation is done once on each side untimed (the
 * warm-up: page cache, JIT, either side's caches), then BENCH_RUNS (7) rounds alternate Orthanc and
 * the hub, so that a load change on the shared machine falls on both; the figures are the medians
 * over the rounds, each round printed on stderr. BENCH_COUNT (300) changes the study's size.
 * BENCH_CPU_PROFILE=<dir> writes CPU profiles of the hub's api and gateway over the timed rounds
 * (bench/cpu-profile.js; figures of such a run are slowed by the profiler).
 * Ratios are hub/Orthanc for rates and Orthanc/hub for times (above 1: hub better). Also printed:
 * the CPU time each server's processes used per operation (from /proc), which a loaded machine
 * disturbs less than the times.
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { syntheticCt } from './synthetic-ct';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk, startStorescp } from '../test/support/dcmtk';
import { ROOT } from '../test/support/env';
import { ADMIN, Hub } from '../test/support/hub';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait-for';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE ? resolve(process.env.BENCH_CPU_PROFILE) : undefined;
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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

interface Server {
  readonly name: string;
  readonly base: string;
  readonly headers: Record<string, string>;
  readonly dicomPort: number;
  readonly calledAe: string;
  /** The server's processes, whose CPU time each operation is charged. */
  readonly pids: () => number[];
}

interface Sample {
  wadoMBps: number;
  metadataMs: number;
  moveRate: number;
  /** CPU milliseconds the server's processes used for each operation: on a loaded machine, steadier than the times. */
  wadoCpuMs: number;
  metadataCpuMs: number;
  moveCpuMs: number;
}

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/** One WADO-RS of the study, one series metadata and one C-MOVE. */
async function sample(s: Server, study: string, series: string): Promise<Sample> {
  const cpu = () => s.pids().reduce((n, p) => n + cpuSeconds(p), 0) * 1000;
  let c = cpu();
  let t = process.hrtime.bigint();
  const res = await fetch(`${s.base}/studies/${study}`, { headers: { ...s.headers, Accept: 'multipart/related; type="application/dicom"' } });
  if (res.status !== 200) throw new Error(`${s.name} WADO-RS answered ${res.status}`);
  const bytes = await drain(res);
  const wadoMBps = bytes / 1048576 / seconds(t);
  const wadoCpuMs = cpu() - c;
  c = cpu();
  t = process.hrtime.bigint();
  const meta = await fetch(`${s.base}/studies/${study}/series/${series}/metadata`, { headers: { ...s.headers, Accept: 'application/dicom+json' } });
  if (meta.status !== 200) throw new Error(`${s.name} series metadata answered ${meta.status}`);
  const items = (await meta.json()) as unknown[];
  const metadataMs = seconds(t) * 1000;
  const metadataCpuMs = cpu() - c;
  if (items.length !== COUNT) throw new Error(`${s.name} series metadata has ${items.length} items, expected ${COUNT}`);
  c = cpu();
  const moveRate = COUNT / (await cMove(s.dicomPort, s.calledAe, study));
  const moveCpuMs = cpu() - c;
  return { wadoMBps, metadataMs, moveRate, wadoCpuMs, metadataCpuMs, moveCpuMs };
}

/** CPU seconds used so far by a process and its descendants (from /proc). */
function cpuSeconds(pid: number): number {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total = (Number(fields[11]) + Number(fields[12])) / 100;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) total += cpuSeconds(c);
  } catch {
    // A process that ended uses no CPU.
  }
  return total;
}

/** Waits until the processes use under 5% of a core over a second (the hub indexes and runs the study's workflows after the load). */
async function quiet(pids: number[]): Promise<void> {
  const used = () => pids.reduce((n, p) => n + cpuSeconds(p), 0);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const before = used();
    await new Promise((r) => setTimeout(r, 1000));
    if (used() - before < 0.05 || Date.now() > deadline) return;
  }
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

/** The study through storescu, checked whole in the server's own listing. */
async function load(name: string, scu: string[], files: string[], listed: () => Promise<boolean>): Promise<void> {
  say(`loading ${name}`);
  const r = dcmtk('storescu', [...scu, ...files], 600_000);
  if (r.status !== 0) throw new Error(`storescu to ${name} failed: ${r.stderr.slice(0, 300)}`);
  await waitFor(`${name} to list the study`, listed, 300_000, 200);
}

/** SIGWINCH to the hub's api and gateway: bench/cpu-profile.js starts, then stops and writes, a profile. */
function toggleProfiles(hub: Hub): void {
  for (const app of ['api', 'dicom-gateway'] as const) hub.procs.get(app)?.kill('SIGWINCH');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { studyUid, seriesUid, files } = generate();
  await globalSetup();
  const scpPort = await freePort();
  process.env.BENCH_SCP_PORT = String(scpPort);
  const profileEnv: Record<string, string> = PROFILE_DIR
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'bench/cpu-profile.js')}`.trim(), KRYPTON_CPU_PROFILE_DIR: PROFILE_DIR }
    : {};
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const [oDicom, oHttp] = [await freePort(), await freePort()];
  let orthanc: ChildProcess | undefined;
  const hub = new Hub({
    name: 'bench',
    redisDb: 9,
    configuredGatewayProcesses: true,
    env: profileEnv,
    aes: [{ aeTitle: 'STORESCP', site: 'chu-nord', host: '127.0.0.1', port: scpPort, kind: 'workstation' }],
  });
  try {
    orthanc = await startOrthanc(oDicom, oHttp, scpPort);
    await load('Orthanc', ['-aet', 'MODALITY1', '-aec', 'ORTHANC', '127.0.0.1', String(oDicom)], files, async () => {
      const res = await fetch(`http://127.0.0.1:${oHttp}/dicom-web/studies?StudyInstanceUID=${studyUid}&includefield=00201208`);
      const [s] = res.status === 200 ? ((await res.json()) as Record<string, { Value?: number[] }>[]) : [];
      return s?.['00201208']?.Value?.[0] === COUNT;
    });
    await hub.start();
    await load('the hub', hub.scu(), files, async () => {
      const res = await hub.api(`/dicomweb/studies?StudyInstanceUID=${studyUid}&includefield=00201208`);
      const [s] = res.status === 200 ? ((await res.json()) as Record<string, { Value?: number[] }>[]) : [];
      return s?.['00201208']?.Value?.[0] === COUNT;
    });
    const servers: Server[] = [
      { name: 'Orthanc', base: `http://127.0.0.1:${oHttp}/dicom-web`, headers: {}, dicomPort: oDicom, calledAe: 'ORTHANC', pids: () => [orthanc!.pid as number] },
      { name: 'hub', base: `${hub.baseUrl}/dicomweb`, headers: ADMIN, dicomPort: hub.dicomPort, calledAe: 'KRYPTON', pids: () => [...hub.procs.values()].map((p) => p.pid as number) },
    ];
    say('waiting for both servers to be idle');
    await quiet([orthanc.pid as number, ...[...hub.procs.values()].map((p) => p.pid as number)]);
    say('warm-up (one of each operation on each side, untimed)');
    for (const s of servers) await sample(s, studyUid, seriesUid);
    if (PROFILE_DIR) toggleProfiles(hub);
    const samples = new Map<string, Sample[]>(servers.map((s) => [s.name, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const s of servers) {
        const x = await sample(s, studyUid, seriesUid);
        samples.get(s.name)!.push(x);
        say(
          `run ${run} ${s.name.padEnd(8)} WADO-RS ${x.wadoMBps.toFixed(0)} MB/s (${x.wadoCpuMs.toFixed(0)} ms CPU), metadata ${x.metadataMs.toFixed(0)} ms (${x.metadataCpuMs.toFixed(0)} ms CPU), C-MOVE ${x.moveRate.toFixed(0)} inst/s (${x.moveCpuMs.toFixed(0)} ms CPU)`,
        );
      }
    }
    if (PROFILE_DIR) {
      toggleProfiles(hub);
      await new Promise((r) => setTimeout(r, 3000));
      say(`CPU profiles in ${PROFILE_DIR}`);
    }
    const med = (name: string, k: keyof Sample) => median(samples.get(name)!.map((x) => x[k]));
    const h = { wado: med('hub', 'wadoMBps'), meta: med('hub', 'metadataMs'), move: med('hub', 'moveRate') };
    const o = { wado: med('Orthanc', 'wadoMBps'), meta: med('Orthanc', 'metadataMs'), move: med('Orthanc', 'moveRate') };
    const row = (what: string, hub: number, orthanc: number, ratio: number, unit: string) =>
      console.log(what.padEnd(28) + `${hub.toFixed(1)} ${unit}`.padStart(16) + `${orthanc.toFixed(1)} ${unit}`.padStart(16) + ratio.toFixed(2).padStart(8) + (ratio >= 1 ? '  PASS' : '  FAIL'));
    console.log(`\nRetrieval of a ${COUNT}-instance CT study, loopback, TCP_NODELAY=1, medians of ${RUNS} alternating runs after a warm-up (ratio above 1: the hub is better; target >= 1.0)`);
    console.log(`uptime: ${execSync('uptime', { encoding: 'utf8' }).trim()}`);
    console.log(''.padEnd(28) + 'hub'.padStart(16) + 'Orthanc'.padStart(16) + 'ratio'.padStart(8));
    row('WADO-RS study', h.wado, o.wado, h.wado / o.wado, 'MB/s');
    row('series metadata', h.meta, o.meta, o.meta / h.meta, 'ms');
    row('C-MOVE to storescp', h.move, o.move, h.move / o.move, 'inst/s');
    const cpuRow = (what: string, k: keyof Sample) => {
      const [hc, oc] = [med('hub', k), med('Orthanc', k)];
      console.log(what.padEnd(28) + `${hc.toFixed(0)} ms`.padStart(16) + `${oc.toFixed(0)} ms`.padStart(16) + (oc / hc).toFixed(2).padStart(8));
    };
    console.log('server CPU per operation (all its processes; a steadier comparison on a loaded machine):');
    cpuRow('  WADO-RS study', 'wadoCpuMs');
    cpuRow('  series metadata', 'metadataCpuMs');
    cpuRow('  C-MOVE to storescp', 'moveCpuMs');
  } finally {
    orthanc?.kill();
    await hub.stop();
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
