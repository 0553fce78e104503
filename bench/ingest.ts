/**
 * npm run bench:ingest — ingest throughput of the hub beside Orthanc and dcmtk storescp, in one run.
 *
 * Generates a synthetic CT study (512x512, 16-bit, about 0.5 MB an instance; 1,000 instances by
 * default, BENCH_COUNT to change), then sends it with dcmtk storescu (TCP_NODELAY=1) on loopback:
 *  - to the hub (api + worker + gateway as `npm start` runs them), timed until QIDO-RS answers
 *    with every instance of the study (received, stored, indexed);
 *  - to Orthanc (SQLite index, storage synced), timed until storescu returns (Orthanc indexes
 *    before it answers);
 *  - to dcmtk storescp writing files (the protocol ceiling with storage).
 * Prints instances per second for each, the gateway's peak resident memory, and the hub/Orthanc
 * ratio last.
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

const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const OUT = join(ROOT, 'data/bench');

function say(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Peak resident set size of a process, sampled every 50 ms until stop() is called. */
function sampleRss(pid: number): { stop: () => number } {
  let peak = 0;
  const read = () => {
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // process gone
    }
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

function storescu(port: number, calledAe: string, list: string[]): void {
  const r = dcmtk('storescu', ['-aet', 'MODALITY1', '-aec', calledAe, '127.0.0.1', String(port), ...list], 600_000);
  if (r.status !== 0) throw new Error(`storescu to ${calledAe} failed: ${r.stderr.slice(0, 500)}`);
}

async function benchHub(list: string[], studyUid: string): Promise<{ seconds: number; peakRss: number }> {
  const hub = new Hub({ name: 'bench', redisDb: 9, config: { ingest: { stableAfterSeconds: 30, indexConcurrency: 4 } } });
  await hub.start();
  try {
    const gatewayPid = hub.procs.get('dicom-gateway')?.pid as number;
    const rss = sampleRss(gatewayPid);
    const started = process.hrtime.bigint();
    storescu(hub.dicomPort, 'KRYPTON', list);
    const sent = Number(process.hrtime.bigint() - started) / 1e9;
    await waitFor(
      'QIDO-RS to list every instance',
      async () => {
        const res = await hub.api(`/dicomweb/studies?StudyInstanceUID=${studyUid}&includefield=00201208`);
        if (res.status !== 200) return false;
        const [study] = (await res.json()) as Record<string, { Value?: number[] }>[];
        return study?.['00201208']?.Value?.[0] === list.length;
      },
      300_000,
      20,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakRss = rss.stop();
    say(`hub: storescu returned after ${sent.toFixed(2)} s, all ${list.length} instances in QIDO-RS after ${seconds.toFixed(2)} s`);
    return { seconds, peakRss };
  } finally {
    await hub.stop();
  }
}

async function benchOrthanc(list: string[]): Promise<number> {
  const [dicomPort, httpPort] = await Promise.all([freePort(), freePort()]);
  const dir = join(OUT, 'orthanc');
  rmSync(dir, { recursive: true, force: true });
  const orthanc = new OrthancPeer(dir, dicomPort, httpPort);
  await orthanc.start();
  try {
    const started = process.hrtime.bigint();
    storescu(dicomPort, 'ORTHANC', list);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stats = (await (await fetch(`${orthanc.url}/statistics`)).json()) as { CountInstances: number };
    if (stats.CountInstances !== list.length) throw new Error(`Orthanc holds ${stats.CountInstances} instances, expected ${list.length}`);
    return seconds;
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
    storescu(port, 'STORESCP', list);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    scp.kill();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { studyUid, files: list } = syntheticCt(COUNT, say);
  const mb = list.reduce((n, f) => n + require('node:fs').statSync(f).size, 0) / 1048576;
  say(`${list.length} instances, ${mb.toFixed(0)} MB; starting Temporal and bundling workflows`);
  await globalSetup();
  try {
    say('storescp');
    const scp = await benchStorescp(list);
    say('Orthanc');
    const orthanc = await benchOrthanc(list);
    say('hub');
    const hub = await benchHub(list, studyUid);
    const rate = (s: number) => list.length / s;
    const rows = [
      ['dcmtk storescp (files)', scp, rate(scp)],
      ['Orthanc (SQLite, synced)', orthanc, rate(orthanc)],
      ['Krypton hub (stored + indexed, QIDO)', hub.seconds, rate(hub.seconds)],
    ] as const;
    console.log(`\nIngest of ${list.length} CT instances (${mb.toFixed(0)} MB), one storescu, TCP_NODELAY=1, loopback`);
    console.log('receiver'.padEnd(40) + 'seconds'.padStart(10) + 'instances/s'.padStart(14));
    for (const [name, s, r] of rows) console.log(name.padEnd(40) + s.toFixed(2).padStart(10) + r.toFixed(0).padStart(14));
    console.log(`gateway peak RSS: ${(hub.peakRss / 1048576).toFixed(0)} MB (target < 300 MB)`);
    console.log(`hub/Orthanc ratio: ${(rate(hub.seconds) / rate(orthanc)).toFixed(2)} (target >= 1.0)`);
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
