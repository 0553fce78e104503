/**
 * npm run bench:ingest — ingest throughput of the hub beside Orthanc, with one storescu and with
 * four in parallel, in one run (issue #13: targets ≥ 2.0× and ≥ 1.5×, gateway < 300 MB).
 *
 * Generates two synthetic CT studies (512x512, 16-bit, about 0.5 MB an instance; BENCH_COUNT
 * instances each, 400 by default) and sends them with dcmtk storescu (TCP_NODELAY=1) on loopback:
 * study A with one storescu, study B split in four parts sent by four storescu at once.
 *  - The hub (api + worker + gateway as `npm start` runs them, a fresh database each run) is timed
 *    until QIDO-RS lists every instance of the study: received, fsynced, indexed, visible.
 *  - Orthanc (Debian, SQLite index, storage synced) is timed until the storescu processes return
 *    (Orthanc indexes before it answers), then checked to hold every instance.
 *  - dcmtk storescp writing files, once, as the protocol ceiling with storage.
 * BENCH_RUNS (default 1) repeats hub and Orthanc; every run is printed, then the medians. The
 * gateway's memory is the peak resident set of its processes (all of them in cluster mode).
 * Each phase's CPU time per instance is printed per process (process-cpu.ts): on two cores, the
 * sum over the gateway, worker, api, PostgreSQL and Redis is what bounds the four-sender case.
 * BENCH_CPU_PROFILE=<dir> writes V8 CPU profiles of the gateway, worker and api for each phase.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk, startStorescp } from '../test/support/dcmtk';
import { ROOT } from '../test/support/env';
import { Hub } from '../test/support/hub';
import { OrthancPeer } from '../test/support/orthanc';
import { syntheticCt } from './synthetic-ct';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait-for';
import { TEST_REDIS_PORT } from '../test/support/env';
import { Cpu, CpuGroup, cpuSince, CpuReading, POSTGRES_BACKGROUND, postgresBackendsOf, processesWhere, processTree, readCpu, redisServer, SENDERS } from './process-cpu';

const COUNT = Number(process.env.BENCH_COUNT ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const PARALLEL = 4;
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE ? resolve(process.env.BENCH_CPU_PROFILE) : undefined;
const OUT = join(ROOT, 'data/bench');

function say(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Peak resident set size of a process tree (summed), sampled every 50 ms until stop() is called. */
function sampleRss(pid: number): { stop: () => number } {
  let peak = 0;
  const read = () => {
    let total = 0;
    for (const p of processTree(pid)) {
      try {
        const m = readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
        if (m) total += Number(m[1]) * 1024;
      } catch {
        // process gone
      }
    }
    peak = Math.max(peak, total);
  };
  read();
  const timer = setInterval(read, 50);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}

/** storescu of the list cut in `parts` consecutive parts, all at once; resolves when all return. */
function storescu(port: number, calledAe: string, list: string[], parts = 1): Promise<void> {
  const size = Math.ceil(list.length / parts);
  const runs = Array.from({ length: parts }, (_, i) => list.slice(i * size, (i + 1) * size)).filter((l) => l.length);
  return Promise.all(
    runs.map(
      (part) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn('storescu', ['-aet', 'MODALITY1', '-aec', calledAe, '127.0.0.1', String(port), ...part], {
            env: { ...process.env, TCP_NODELAY: '1' },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          child.stderr?.on('data', (d) => (err += d));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`storescu to ${calledAe} failed (${code}): ${err.slice(0, 500)}`))));
        }),
    ),
  ).then(() => undefined);
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Seconds of one phase and the CPU each process group spent in it. */
interface Phase {
  readonly seconds: number;
  readonly cpu: CpuReading;
}

interface HubRun {
  readonly one: Phase;
  readonly four: Phase;
  /** Two seconds of the hub receiving nothing: what each process spends anyway (timers, pollers). */
  readonly idle: Phase;
  readonly peakRss: number;
}

const IDLE_SECONDS = 2;

async function benchHub(a: Study, b: Study): Promise<HubRun> {
  // The gateway's process count as configured (dicom.processes), not the suites' single process.
  const hub = new Hub({
    name: 'bench',
    redisDb: 9,
    configuredGatewayProcesses: true,
    config: { ingest: { stableAfterSeconds: 30, indexConcurrency: 4 } },
    // BENCH_CPU_PROFILE: CPU profiles of the hub's processes during each phase (cpu-profile.js, SIGWINCH).
    env: PROFILE_DIR ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'cpu-profile.js')}`.trim(), KRYPTON_CPU_PROFILE_DIR: PROFILE_DIR } : {},
  });
  await hub.start();
  try {
    const gatewayPid = hub.procs.get('dicom-gateway')?.pid as number;
    const rss = sampleRss(gatewayPid);
    const pid = (app: 'worker' | 'api') => hub.procs.get(app)?.pid as number;
    const groups: CpuGroup[] = [
      { name: 'gateway', pids: () => processTree(gatewayPid) },
      { name: 'worker', pids: () => [pid('worker')] },
      { name: 'api', pids: () => [pid('api')] },
      postgresBackendsOf(new URL(hub.dbUrl).pathname.slice(1)),
      POSTGRES_BACKGROUND,
      redisServer(TEST_REDIS_PORT),
      SENDERS,
    ];
    const profiled = () => {
      if (!PROFILE_DIR) return;
      for (const p of [...processTree(gatewayPid), pid('worker'), pid('api')]) process.kill(p, 'SIGWINCH');
    };
    const timed = async (s: Study, parts: number): Promise<Phase> => {
      profiled();
      const cpu = readCpu(groups);
      const started = process.hrtime.bigint();
      await storescu(hub.dicomPort, 'KRYPTON', s.list, parts);
      const sent = seconds(started);
      await waitFor(
        'QIDO-RS to list every instance',
        async () => {
          const res = await hub.api(`/dicomweb/studies?StudyInstanceUID=${s.studyUid}&includefield=00201208`);
          if (res.status !== 200) return false;
          const [study] = (await res.json()) as Record<string, { Value?: number[] }>[];
          return study?.['00201208']?.Value?.[0] === s.list.length;
        },
        300_000,
        20,
      );
      const total = seconds(started);
      profiled();
      say(`hub, ${parts} storescu: sent in ${sent.toFixed(2)} s, all ${s.list.length} in QIDO-RS after ${total.toFixed(2)} s`);
      return { seconds: total, cpu: cpuSince(groups, cpu) };
    };
    const idleFrom = readCpu(groups);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idle = { seconds: IDLE_SECONDS, cpu: cpuSince(groups, idleFrom) };
    const one = await timed(a, 1);
    const four = await timed(b, PARALLEL);
    return { one, four, idle, peakRss: rss.stop() };
  } finally {
    await hub.stop();
  }
}

async function benchOrthanc(a: Study, b: Study): Promise<{ one: Phase; four: Phase }> {
  const [dicomPort, httpPort] = await Promise.all([freePort(), freePort()]);
  const dir = join(OUT, 'orthanc');
  rmSync(dir, { recursive: true, force: true });
  const orthanc = new OrthancPeer(dir, dicomPort, httpPort);
  await orthanc.start();
  const groups: CpuGroup[] = [{ name: 'Orthanc', pids: () => processesWhere((c) => c.startsWith('Orthanc ') && c.includes(dir)) }, SENDERS];
  try {
    const timed = async (s: Study, parts: number, expected: number): Promise<Phase> => {
      const cpu = readCpu(groups);
      const started = process.hrtime.bigint();
      await storescu(dicomPort, 'ORTHANC', s.list, parts);
      const t = seconds(started);
      const spent = cpuSince(groups, cpu);
      const stats = (await (await fetch(`${orthanc.url}/statistics`)).json()) as { CountInstances: number };
      if (stats.CountInstances !== expected) throw new Error(`Orthanc holds ${stats.CountInstances} instances, expected ${expected}`);
      say(`Orthanc, ${parts} storescu: ${t.toFixed(2)} s`);
      return { seconds: t, cpu: spent };
    };
    const one = await timed(a, 1, a.list.length);
    const four = await timed(b, PARALLEL, a.list.length + b.list.length);
    return { one, four };
  } finally {
    await orthanc.stop();
  }
}

async function benchStorescp(list: string[]): Promise<number> {
  const port = await freePort();
  const dir = join(OUT, 'storescp');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const scp = startStorescp('STORESCP', port, dir);
  try {
    await waitFor('storescp', () => dcmtk('echoscu', ['-aet', 'X', '-aec', 'STORESCP', '127.0.0.1', String(port)]).status === 0);
    const started = process.hrtime.bigint();
    await storescu(port, 'STORESCP', list);
    return seconds(started);
  } finally {
    scp.kill();
  }
}

interface Study {
  readonly studyUid: string;
  readonly list: string[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * CPU milliseconds per instance of each process group, per phase, and the wall time per instance:
 * with two cores, a sum above twice the wall time cannot be (and a sum near it says the phase is
 * CPU-bound). The storescu column is dcmtk's sending side, the same for both receivers.
 */
function printCpu(rows: { label: string; phase: Phase }[]): void {
  const names = [...new Set(rows.flatMap((r) => [...r.phase.cpu.keys()]))];
  const per = (ms: number) => (ms / COUNT).toFixed(2);
  const table = (title: string, pick: (c: Cpu) => number, wall: boolean) => {
    console.log(`\n${title}`);
    console.log('phase'.padEnd(13) + names.map((n) => n.padStart(9)).join('') + 'sum'.padStart(8) + (wall ? 'wall'.padStart(8) : ''));
    for (const { label, phase } of rows) {
      const sum = [...phase.cpu.values()].reduce((a, c) => a + pick(c), 0);
      const cells = names.map((n) => (phase.cpu.has(n) ? per(pick(phase.cpu.get(n)!)) : '').padStart(9)).join('');
      console.log(label.padEnd(13) + cells + per(sum).padStart(8) + (wall ? per(phase.seconds * 1000).padStart(8) : ''));
    }
  };
  table('CPU ms per instance, user + system (from /proc; pg bg = WAL writer, checkpointer: shared with other databases)', (c) => c.user + c.system, true);
  table('of which system (kernel: sockets, file writes, fsync)', (c) => c.system, false);
}

/** CPU ms per second of each hub process while nothing is received: spent whatever the load. */
function printIdle(runs: HubRun[]): void {
  const names = [...runs[0].idle.cpu.keys()].filter((n) => n !== 'storescu');
  console.log(`\nhub idle for ${IDLE_SECONDS} s before each run, CPU ms per second`);
  console.log('run'.padEnd(13) + names.map((n) => n.padStart(9)).join(''));
  runs.forEach((r, i) => {
    const c = r.idle.cpu;
    console.log(String(i + 1).padEnd(13) + names.map((n) => ((c.get(n)!.user + c.get(n)!.system) / IDLE_SECONDS).toFixed(0).padStart(9)).join(''));
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const studies = [42, 43].map((seed) => {
    const g = syntheticCt(COUNT, say, seed);
    return { studyUid: g.studyUid, list: g.files };
  });
  const [a, b] = studies;
  const mb = a.list.reduce((n, f) => n + require('node:fs').statSync(f).size, 0) / 1048576;
  say(`2 studies of ${COUNT} instances (${mb.toFixed(0)} MB each), ${RUNS} run(s); starting Temporal and bundling workflows`);
  await globalSetup();
  try {
    say('storescp');
    const scp = await benchStorescp(a.list);
    const runs: { hub: HubRun; orthanc: { one: Phase; four: Phase } }[] = [];
    for (let r = 0; r < RUNS; r++) {
      say(`run ${r + 1}/${RUNS}: Orthanc`);
      const orthanc = await benchOrthanc(a, b);
      say(`run ${r + 1}/${RUNS}: hub`);
      const hub = await benchHub(a, b);
      runs.push({ hub, orthanc });
    }
    const rate = (s: number) => COUNT / s;
    console.log(`\nIngest of ${COUNT} CT instances (${mb.toFixed(0)} MB) per study, TCP_NODELAY=1, loopback; hub = stored + fsynced + listed by QIDO-RS`);
    console.log(`dcmtk storescp (files, protocol ceiling), one storescu: ${rate(scp).toFixed(0)} instances/s`);
    console.log(
      'run'.padEnd(5) + 'Orthanc 1'.padStart(11) + 'hub 1'.padStart(9) + 'ratio'.padStart(7) + 'Orthanc 4'.padStart(11) + 'hub 4'.padStart(9) + 'ratio'.padStart(7) + 'gateway MB'.padStart(12),
    );
    const r1: number[] = [];
    const r4: number[] = [];
    runs.forEach(({ hub, orthanc }, i) => {
      r1.push(rate(hub.one.seconds) / rate(orthanc.one.seconds));
      r4.push(rate(hub.four.seconds) / rate(orthanc.four.seconds));
      console.log(
        String(i + 1).padEnd(5) +
          rate(orthanc.one.seconds).toFixed(0).padStart(11) +
          rate(hub.one.seconds).toFixed(0).padStart(9) +
          r1[i].toFixed(2).padStart(7) +
          rate(orthanc.four.seconds).toFixed(0).padStart(11) +
          rate(hub.four.seconds).toFixed(0).padStart(9) +
          r4[i].toFixed(2).padStart(7) +
          (hub.peakRss / 1048576).toFixed(0).padStart(12),
      );
    });
    printCpu(
      runs.flatMap(({ hub, orthanc }, i) => [
        { label: `${i + 1} Orthanc 1`, phase: orthanc.one },
        { label: `${i + 1} hub 1`, phase: hub.one },
        { label: `${i + 1} Orthanc 4`, phase: orthanc.four },
        { label: `${i + 1} hub 4`, phase: hub.four },
      ]),
    );
    printIdle(runs.map((r) => r.hub));
    const peak = Math.max(...runs.map((r) => r.hub.peakRss)) / 1048576;
    console.log(`median hub/Orthanc, one storescu: ${median(r1).toFixed(2)} (target >= 2.0) ${median(r1) >= 2 ? 'PASS' : 'FAIL'}`);
    console.log(`median hub/Orthanc, ${PARALLEL} storescu: ${median(r4).toFixed(2)} (target >= 1.5) ${median(r4) >= 1.5 ? 'PASS' : 'FAIL'}`);
    console.log(`gateway peak RSS: ${peak.toFixed(0)} MB (target < 300 MB) ${peak < 300 ? 'PASS' : 'FAIL'}`);
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
