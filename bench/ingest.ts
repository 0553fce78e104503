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
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk, startStorescp } from '../test/support/dcmtk';
import { ROOT } from '../test/support/env';
import { Hub } from '../test/support/hub';
import { OrthancPeer } from '../test/support/orthanc';
import { syntheticCt } from './synthetic-ct';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait-for';

const COUNT = Number(process.env.BENCH_COUNT ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const PARALLEL = 4;
const OUT = join(ROOT, 'data/bench');

function say(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** The process and its descendants (a gateway in cluster mode is a primary and its workers). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) out.push(...processTree(c));
  } catch {
    // gone
  }
  return out;
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

interface HubRun {
  readonly one: number;
  readonly four: number;
  readonly peakRss: number;
}

async function benchHub(a: Study, b: Study): Promise<HubRun> {
  // The gateway's process count as configured (dicom.processes), not the suites' single process.
  const hub = new Hub({ name: 'bench', redisDb: 9, configuredGatewayProcesses: true, config: { ingest: { stableAfterSeconds: 30, indexConcurrency: 4 } } });
  await hub.start();
  try {
    const rss = sampleRss(hub.procs.get('dicom-gateway')?.pid as number);
    const timed = async (s: Study, parts: number) => {
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
      say(`hub, ${parts} storescu: sent in ${sent.toFixed(2)} s, all ${s.list.length} in QIDO-RS after ${total.toFixed(2)} s`);
      return total;
    };
    const one = await timed(a, 1);
    const four = await timed(b, PARALLEL);
    return { one, four, peakRss: rss.stop() };
  } finally {
    await hub.stop();
  }
}

async function benchOrthanc(a: Study, b: Study): Promise<{ one: number; four: number }> {
  const [dicomPort, httpPort] = await Promise.all([freePort(), freePort()]);
  const dir = join(OUT, 'orthanc');
  rmSync(dir, { recursive: true, force: true });
  const orthanc = new OrthancPeer(dir, dicomPort, httpPort);
  await orthanc.start();
  try {
    const timed = async (s: Study, parts: number, expected: number) => {
      const started = process.hrtime.bigint();
      await storescu(dicomPort, 'ORTHANC', s.list, parts);
      const t = seconds(started);
      const stats = (await (await fetch(`${orthanc.url}/statistics`)).json()) as { CountInstances: number };
      if (stats.CountInstances !== expected) throw new Error(`Orthanc holds ${stats.CountInstances} instances, expected ${expected}`);
      say(`Orthanc, ${parts} storescu: ${t.toFixed(2)} s`);
      return t;
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
    const runs: { hub: HubRun; orthanc: { one: number; four: number } }[] = [];
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
      r1.push(rate(hub.one) / rate(orthanc.one));
      r4.push(rate(hub.four) / rate(orthanc.four));
      console.log(
        String(i + 1).padEnd(5) +
          rate(orthanc.one).toFixed(0).padStart(11) +
          rate(hub.one).toFixed(0).padStart(9) +
          r1[i].toFixed(2).padStart(7) +
          rate(orthanc.four).toFixed(0).padStart(11) +
          rate(hub.four).toFixed(0).padStart(9) +
          r4[i].toFixed(2).padStart(7) +
          (hub.peakRss / 1048576).toFixed(0).padStart(12),
      );
    });
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
