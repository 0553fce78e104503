/**
 * npm run bench:pathway — the patient pathway on the real hub (api + worker + gateways as child
 * processes, Temporal dev server, PostgreSQL, Redis), in one run:
 *
 *  1. BENCH_PATHWAYS (1,000) pathways from request to closed: REST requests and schedules, a dose
 *     exam registered through the dose registry's service, MPPS COMPLETED and "study stable"
 *     signalled through a Temporal client, claim and sign by REST, results (ORU^R01) to an MLLP
 *     listener of this script answering AA. Prints study-stable → reading-task latency, rates per
 *     phase, end-to-end pathways per second and the worker's peak RSS.
 *  2. BENCH_OPEN (10,000) pathways left open (scheduled, waiting for acquisition) on a freshly
 *     started worker: its RSS after an idle period, and the coordinator list timings.
 *  3. A summary with PASS/FAIL against the targets (worker < 1 GiB, each list p95 < 200 ms).
 *
 * Progress goes to stderr, results to stdout. BENCH_CONCURRENCY (16) bounds REST and signal
 * concurrency; BENCH_IDLE_SECONDS (30) is the idle period before the memory reading;
 * BENCH_STUDY_RATE (studies per second, default 0: as fast as the concurrency allows, a burst)
 * paces the acquisition signals, to see the latency without a backlog.
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { parse } from 'yaml';
import { Client, Connection } from '@temporalio/client';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { ROOT, TEST_DATA_DIR, TEST_TEMPORAL_ADDRESS } from '../test/support/env';
import { Hub } from '../test/support/hub';
import { acquisitionSignal, pathwayWorkflowId } from '../workflows/pathway/exam-pathway.signals';
import { CpuMeter } from './pathway/cpu-meter';
import { DoseSeeder } from './pathway/dose-seeder';
import { HubRest, REFERRER, type Priority, type Slot } from './pathway/hub-rest';
import { ResultsListener } from './pathway/results-listener';
import { RssSampler } from './pathway/rss-sampler';
import { forEachBounded, mib, ms, progress, say, sleep, spread, type Spread } from './pathway/stats';

const PATHWAYS = Number(process.env.BENCH_PATHWAYS ?? 1000);
const OPEN = Number(process.env.BENCH_OPEN ?? 10000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const STUDY_RATE = Number(process.env.BENCH_STUDY_RATE ?? 0);
const LIST_RUNS = 20;
const MEMORY_TARGET = 1024 * 1048576;
const LIST_TARGET_MS = 200;
/** Generous bounds for waits on the hub: a stuck pathway fails the run instead of hanging it. */
const WAIT_LIMIT_MS = Number(process.env.BENCH_WAIT_LIMIT_SECONDS ?? 900) * 1000;

const CHU_NORD: Slot = { site: 'chu-nord', aeTitle: 'MODALITY1' };
const CLINIQUE_SUD: Slot = { site: 'clinique-sud', aeTitle: 'MODALITY2' };
const RUN = Date.now().toString(36).toUpperCase();

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const out = (line = '') => process.stdout.write(`${line}\n`);
const row = (label: string, value: string, note = '') => out(`  ${label.padEnd(48)} ${value.padStart(16)}  ${note}`);
const spreadText = (s: Spread) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} (n=${s.n})`;

/**
 * The demo configuration's pathway section with waits short enough for a benchmark: the dose
 * registry is polled every 3 s (the row exists before the study signal, so the first check finds
 * it), and results go to this script's MLLP listener for the placer system of REST requests made
 * by the demo referrer.
 */
function pathwayConfig(resultsPort: number): Record<string, unknown> {
  const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8')).pathway;
  return {
    ...demo,
    dose: { waitMinutes: 10, pollMinutes: 0.05 },
    results: { destinations: [{ placerSystem: REFERRER, host: '127.0.0.1', port: resultsPort }], retryInitialSeconds: 1, retryMaxSeconds: 10, ackTimeoutSeconds: 10 },
  };
}

/** What the worker's Temporal workflow cache holds at most: set in its Worker.create, or the SDK default for its heap limit. */
function workflowCacheSize(hub: Hub): { size: number; text: string } {
  const source = readFileSync(join(ROOT, 'apps/worker/src/temporal/temporal-worker.service.ts'), 'utf8');
  const explicit = source.match(/maxCachedWorkflows\s*:\s*([^,\n}]+)/);
  if (explicit) return { size: Number(explicit[1]) || Number.NaN, text: `${explicit[1].trim()} (set in temporal-worker.service.ts)` };
  // Same formula as @temporalio/worker 1.24 addDefaultWorkerOptions (reuseV8Context, the default).
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'], { env: hub.env(), encoding: 'utf8' });
  const heapMiB = Number(r.stdout) / 1048576;
  const size = Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
  return { size, text: `${size} (SDK default for the worker's ${heapMiB.toFixed(0)} MiB heap limit; the worker sets none)` };
}

/** The processes whose CPU time is accounted per phase (the Temporal dev server when global-setup started it). */
function processes(hub: Hub): Record<string, number | undefined> {
  const pidFile = join(TEST_DATA_DIR, 'temporal.pid');
  return {
    worker: hub.procs.get('worker')?.pid,
    api: hub.procs.get('api')?.pid,
    temporal: existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined,
    bench: process.pid,
  };
}

/** Polls `query` (ids → ids that are done) for the ids not done yet, every `everyMs`; records when each was first seen. */
async function watch(pg: PgClient, query: string, ids: readonly string[], eligible: (id: string) => boolean, everyMs: number, what: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const started = performance.now();
  const p = progress(what, ids.length, () => seen.size);
  try {
    while (seen.size < ids.length) {
      const pending = ids.filter((id) => !seen.has(id) && eligible(id));
      if (pending.length) {
        const rows = (await pg.query<{ id: string }>(query, [pending])).rows;
        const now = performance.now();
        for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, now);
      }
      if (performance.now() - started > WAIT_LIMIT_MS) throw new Error(`${what}: only ${seen.size}/${ids.length} after ${WAIT_LIMIT_MS / 1000} s`);
      await sleep(everyMs);
    }
  } finally {
    p.stop();
  }
  return seen;
}

interface FullRunResult {
  readonly n: number;
  readonly seconds: { create: number; schedule: number; dose: number; signalsSent: number; acquisitionToReading: number; claimSign: number; signToClosed: number; endToEnd: number };
  readonly cpu: { createSchedule: string; acquisitionToReading: string; claimSignClose: string };
  readonly readingLatency: Spread;
  readonly claimLatency: Spread;
  readonly signLatency: Spread;
  readonly signedToClosed: Spread;
  readonly oruReceived: number;
  readonly oruDistinct: number;
  readonly workerPeakRss: number;
  readonly worklistListed: number;
}

/** Part 1: request → closed for `n` pathways. */
async function fullPathways(hub: Hub, rest: HubRest, temporal: Client, pg: PgClient, listener: ResultsListener, n: number): Promise<FullRunResult> {
  const rss = new RssSampler(hub.procs.get('worker')!.pid!);
  let cpu = new CpuMeter(processes(hub));
  const t0 = performance.now();
  const ids: string[] = new Array(n);
  const studies = new Map<string, string>();
  let done = 0;

  say(`part 1: creating ${n} requests (load ${load()})`);
  let p = progress('create', n, () => done);
  await forEachBounded([...Array(n).keys()], CONCURRENCY, async (i) => {
    ids[i] = await rest.createRequest(`${RUN}-F${i}`, i % 10 === 0 ? 'urgent' : 'routine', CHU_NORD.site);
    done++;
  });
  p.stop();
  const tCreated = performance.now();

  say(`scheduling ${n}`);
  done = 0;
  p = progress('schedule', n, () => done);
  await forEachBounded(ids, CONCURRENCY, async (id, i) => {
    studies.set(id, await rest.schedule(id, CHU_NORD, new Date(Date.now() + 3600_000 + i * 60_000).toISOString()));
    done++;
  });
  p.stop();
  const tScheduled = performance.now();
  const cpuCreateSchedule = cpu.read();

  say(`registering ${n} dose exams (dose registry service)`);
  const dose = new DoseSeeder(hub.dbUrl);
  await dose.open();
  done = 0;
  p = progress('dose', n, () => done);
  try {
    await forEachBounded(ids, 8, async (id) => {
      await dose.record(studies.get(id)!);
      done++;
    });
  } finally {
    p.stop();
    await dose.close();
  }
  const tDosed = performance.now();

  say(`signalling MPPS COMPLETED + study stable for ${n} pathways${STUDY_RATE > 0 ? ` at ${STUDY_RATE}/s` : ''}, watching reading_task every 20 ms`);
  cpu = new CpuMeter(processes(hub));
  const studySentAt = new Map<string, number>();
  const readingSeen = watch(pg, 'SELECT request_id::text AS id FROM reading_task WHERE request_id = ANY($1::uuid[])', ids, (id) => studySentAt.has(id), 20, 'reading tasks open');
  // An unhandled rejection while signals are still going out must not crash the process before we report it.
  readingSeen.catch(() => undefined);
  await forEachBounded(ids, CONCURRENCY, async (id, i) => {
    // Paced: the i-th exam finishes acquisition i/rate seconds after the first.
    if (STUDY_RATE > 0) await sleep(tDosed + (i * 1000) / STUDY_RATE - performance.now());
    const handle = temporal.workflow.getHandle(pathwayWorkflowId(id));
    const studyUid = studies.get(id)!;
    await handle.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: `${studyUid}.7`, status: 'COMPLETED', at: new Date().toISOString() });
    studySentAt.set(id, performance.now());
    await handle.signal(acquisitionSignal, { kind: 'study', studyUid, at: new Date().toISOString() });
  });
  const tSignalsSent = performance.now();
  const seen = await readingSeen;
  const tReading = performance.now();
  const cpuAcquisition = cpu.read();
  const readingLatency = spread(ids.map((id) => seen.get(id)! - studySentAt.get(id)!));
  const worklistListed = ((await (await hub.api('/reading/tasks?limit=1000', { headers: { Authorization: 'Bearer demo-radiologist-token' } })).json()) as unknown[]).length;

  say(`claiming and signing ${n} reports (radiologist, REST)`);
  cpu = new CpuMeter(processes(hub));
  const claimMs: number[] = [];
  const signMs: number[] = [];
  const signedWall = new Map<string, number>();
  done = 0;
  p = progress('claim + sign', n, () => done);
  await forEachBounded(ids, CONCURRENCY, async (id) => {
    let t = performance.now();
    await rest.claim(id);
    claimMs.push(performance.now() - t);
    t = performance.now();
    await rest.sign(id);
    signMs.push(performance.now() - t);
    signedWall.set(id, Date.now());
    done++;
  });
  p.stop();
  const tSigned = performance.now();

  say(`waiting for ${n} pathways to close (ORU^R01 answered AA by the listener)`);
  await watch(pg, `SELECT id::text AS id FROM exam_request WHERE id = ANY($1::uuid[]) AND state = 'closed'`, ids, () => true, 100, 'closed');
  const tClosed = performance.now();
  const closedAt = new Map((await pg.query<{ id: string; closed_at: Date }>('SELECT id::text AS id, closed_at FROM exam_request WHERE id = ANY($1::uuid[])', [ids])).rows.map((r) => [r.id, r.closed_at.getTime()]));
  const mine = listener.received.filter((r) => r.placerOrderNumber?.startsWith(`BENCH-${RUN}-F`));

  return {
    n,
    seconds: {
      create: (tCreated - t0) / 1000,
      schedule: (tScheduled - tCreated) / 1000,
      dose: (tDosed - tScheduled) / 1000,
      signalsSent: (tSignalsSent - tDosed) / 1000,
      acquisitionToReading: (tReading - tDosed) / 1000,
      claimSign: (tSigned - tReading) / 1000,
      signToClosed: (tClosed - tSigned) / 1000,
      endToEnd: (tClosed - t0) / 1000,
    },
    cpu: { createSchedule: cpuCreateSchedule, acquisitionToReading: cpuAcquisition, claimSignClose: cpu.read() },
    readingLatency,
    claimLatency: spread(claimMs),
    signLatency: spread(signMs),
    signedToClosed: spread(ids.map((id) => closedAt.get(id)! - signedWall.get(id)!)),
    oruReceived: mine.length,
    oruDistinct: new Set(mine.map((r) => r.placerOrderNumber)).size,
    workerPeakRss: rss.stop(),
    worklistListed,
  };
}

interface OpenRunResult {
  readonly n: number;
  readonly createSeconds: number;
  readonly scheduleSeconds: number;
  readonly cpu: string;
  readonly workerIdleBeforeRss: number;
  readonly workerPeakRss: number;
  readonly workerIdleRss: number;
  readonly cache: { size: number; text: string };
  readonly openInMirror: number;
  readonly lists: { query: string; rows: number; times: Spread }[];
}

/** Part 2: `n` scheduled pathways waiting for acquisition, on a worker started for this part. */
async function openPathways(hub: Hub, rest: HubRest, pg: PgClient, n: number): Promise<OpenRunResult> {
  // A fresh worker: its memory then reflects the open pathways, not what part 1 left on its heap.
  say('restarting the worker for part 2');
  await hub.stopApp('worker');
  hub.startApp('worker');
  await hub.waitHealthy();
  await sleep(5000);
  const rss = new RssSampler(hub.procs.get('worker')!.pid!);
  const workerIdleBeforeRss = rss.current();

  say(`part 2: creating ${n} requests (load ${load()})`);
  const ids: string[] = new Array(n);
  const slots: Slot[] = new Array(n);
  let done = 0;
  const cpu = new CpuMeter(processes(hub));
  const t0 = performance.now();
  let p = progress('create', n, () => done);
  await forEachBounded([...Array(n).keys()], CONCURRENCY, async (i) => {
    // A plausible mix for the coordinator lists: 3 sites in 5 at CHU Nord, a quarter urgent,
    // one in 20 emergency, one in 50 with a local procedure code waiting to be mapped.
    const priority: Priority = i % 20 === 0 ? 'emergency' : i % 4 === 1 ? 'urgent' : 'routine';
    slots[i] = i % 5 < 3 ? CHU_NORD : CLINIQUE_SUD;
    ids[i] = await rest.createRequest(`${RUN}-O${i}`, priority, slots[i].site, i % 50 === 7 ? 'LOCAL0042' : 'ZBQK002');
    done++;
  });
  p.stop();
  const tCreated = performance.now();
  say(`scheduling ${n}`);
  done = 0;
  p = progress('schedule', n, () => done);
  await forEachBounded(ids, CONCURRENCY, async (id, i) => {
    await rest.schedule(id, slots[i], new Date(Date.now() + 86_400_000 + i * 60_000).toISOString());
    done++;
  });
  p.stop();
  const tScheduled = performance.now();
  const cpuUsed = cpu.read();
  const openInMirror = Number((await pg.query(`SELECT count(*) AS n FROM exam_request WHERE state = 'scheduled'`)).rows[0].n);

  say(`idle for ${IDLE_SECONDS} s before reading the worker's memory`);
  await sleep(IDLE_SECONDS * 1000);
  const workerIdleRss = rss.current();
  const workerPeakRss = rss.stop();

  say(`timing the coordinator lists, ${LIST_RUNS} runs each (load ${load()})`);
  const lists: OpenRunResult['lists'] = [];
  for (const query of ['state=scheduled&limit=100', 'waitingOnOperator=true&limit=100', 'site=chu-nord&priority=urgent&limit=100', 'slaBreached=true']) {
    const rows = await rest.list(query); // warm-up, and the row count shown beside the figure
    const times: number[] = [];
    for (let r = 0; r < LIST_RUNS; r++) {
      const t = performance.now();
      await rest.list(query);
      times.push(performance.now() - t);
    }
    lists.push({ query, rows, times: spread(times) });
  }
  return {
    n,
    createSeconds: (tCreated - t0) / 1000,
    scheduleSeconds: (tScheduled - tCreated) / 1000,
    cpu: cpuUsed,
    workerIdleBeforeRss,
    workerPeakRss,
    workerIdleRss,
    cache: workflowCacheSize(hub),
    openInMirror,
    lists,
  };
}

function printFull(r: FullRunResult): void {
  const rate = (count: number, s: number) => `${(count / s).toFixed(1)}/s`;
  out(`\n1. ${r.n} pathways from request to closed (simulated acquisition, dose, reading, ORU^R01 to a local MLLP listener)`);
  row('create (POST /requests)', `${r.seconds.create.toFixed(1)} s`, rate(r.n, r.seconds.create));
  row('schedule (POST /requests/{id}/schedule)', `${r.seconds.schedule.toFixed(1)} s`, rate(r.n, r.seconds.schedule));
  row('dose exams registered', `${r.seconds.dose.toFixed(1)} s`, rate(r.n, r.seconds.dose));
  row('CPU while creating and scheduling', '', r.cpu.createSchedule);
  row('MPPS + study signals sent', `${r.seconds.signalsSent.toFixed(1)} s`, `${rate(r.n, r.seconds.signalsSent)}${STUDY_RATE > 0 ? ' (paced)' : ' (burst)'}`);
  row('MPPS + study signals until every reading task', `${r.seconds.acquisitionToReading.toFixed(1)} s`, rate(r.n, r.seconds.acquisitionToReading));
  row('CPU from first signal to last reading task', '', r.cpu.acquisitionToReading);
  row('claim + sign (REST)', `${r.seconds.claimSign.toFixed(1)} s`, rate(r.n, r.seconds.claimSign));
  row('last signature until every pathway closed', `${r.seconds.signToClosed.toFixed(1)} s`, '');
  row('CPU from first claim to last close', '', r.cpu.claimSignClose);
  row('end to end (first request to last closed)', `${r.seconds.endToEnd.toFixed(1)} s`, `${rate(r.n, r.seconds.endToEnd)} pathways`);
  row('study stable -> reading task visible', '', spreadText(r.readingLatency));
  row('claim (Update) answered', '', spreadText(r.claimLatency));
  row('sign (Update) answered', '', spreadText(r.signLatency));
  row('sign answered -> pathway closed', '', spreadText(r.signedToClosed));
  row('ORU^R01 received by the listener', `${r.oruReceived}`, `${r.oruDistinct} distinct orders`);
  row('GET /reading/tasks (radiologist) after opening', `${r.worklistListed} tasks`, '');
  row('worker peak RSS (sampled every 200 ms)', mib(r.workerPeakRss), '');
}

function printOpen(r: OpenRunResult): void {
  out(`\n2. ${r.n} open pathways (scheduled, waiting for acquisition)`);
  row('create (POST /requests), not measured', `${r.createSeconds.toFixed(1)} s`, `${(r.n / r.createSeconds).toFixed(1)}/s`);
  row('schedule (Update), not measured', `${r.scheduleSeconds.toFixed(1)} s`, `${(r.n / r.scheduleSeconds).toFixed(1)}/s`);
  row('CPU while creating and scheduling', '', r.cpu);
  row("pathways in state 'scheduled' (mirror)", `${r.openInMirror}`, '');
  row('worker RSS, fresh and idle', mib(r.workerIdleBeforeRss), '');
  row('worker peak RSS while creating', mib(r.workerPeakRss), '');
  row(`worker RSS after ${IDLE_SECONDS} s idle`, mib(r.workerIdleRss), '');
  row('worker workflow cache (maxCachedWorkflows)', '', r.cache.text);
  const cached = Math.min(r.n, r.cache.size);
  row('RSS growth per cached workflow (idle - fresh)', `${((r.workerIdleRss - r.workerIdleBeforeRss) / cached / 1024).toFixed(0)} KiB`, `over ${cached} cached workflows`);
  for (const l of r.lists) row(`GET /pathways?${l.query}`, `p50 ${ms(l.times.p50)}`, `p95 ${ms(l.times.p95)}, ${l.rows} rows, ${LIST_RUNS} runs`);
}

function printSummary(full: FullRunResult | null, open: OpenRunResult | null, loads: string[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  out('\n=== Summary ===');
  out(`  machine: 2 cores; load average (1/5/15 min) during the run: ${loads.join(' | ')}`);
  if (full) {
    out(`  ${full.n} pathways request->closed: ${(full.n / full.seconds.endToEnd).toFixed(1)} pathways/s end to end; study stable -> reading task p50 ${ms(full.readingLatency.p50)}, p95 ${ms(full.readingLatency.p95)}, max ${ms(full.readingLatency.max)}`);
    out(`  worker peak RSS (part 1): ${mib(full.workerPeakRss)}  [target < 1 GiB: ${verdict(full.workerPeakRss < MEMORY_TARGET)}]`);
  }
  if (open) {
    const mem = Math.max(open.workerIdleRss, open.workerPeakRss);
    out(`  worker RSS with ${open.n} open pathways: ${mib(open.workerIdleRss)} idle, ${mib(open.workerPeakRss)} peak  [target < 1 GiB: ${verdict(mem < MEMORY_TARGET)}]`);
    for (const l of open.lists) out(`  GET /pathways?${l.query}: p95 ${ms(l.times.p95)}  [target < ${LIST_TARGET_MS} ms: ${verdict(l.times.p95 < LIST_TARGET_MS)}]`);
  }
}

async function main(): Promise<void> {
  const loads = [load()];
  say(`load ${load()}; ${PATHWAYS} full pathways, ${OPEN} open, concurrency ${CONCURRENCY}; starting Temporal and bundling workflows`);
  await globalSetup();
  const listener = new ResultsListener();
  const resultsPort = await listener.listen();
  const hub = new Hub({ name: 'bench', redisDb: 15, config: { pathway: pathwayConfig(resultsPort) } });
  let connection: Connection | undefined;
  const pg = new PgClient({ connectionString: hub.dbUrl });
  let full: FullRunResult | null = null;
  let open: OpenRunResult | null = null;
  try {
    say(`starting the hub (logs in ${hub.dir})`);
    await hub.start();
    await pg.connect();
    connection = await Connection.connect({ address: TEST_TEMPORAL_ADDRESS });
    const temporal = new Client({ connection, namespace: hub.namespace });
    const rest = new HubRest(hub);
    if (PATHWAYS > 0) {
      full = await fullPathways(hub, rest, temporal, pg, listener, PATHWAYS);
      loads.push(load());
      printFull(full);
    }
    if (OPEN > 0) {
      open = await openPathways(hub, rest, pg, OPEN);
      loads.push(load());
      printOpen(open);
    }
    printSummary(full, open, loads);
    out(`  (uptime: ${execSync('uptime', { encoding: 'utf8' }).trim()})`);
  } finally {
    await pg.end().catch(() => undefined);
    await connection?.close();
    await hub.stop();
    await listener.close();
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
