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
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { parse } from 'yaml';
import { Client, Connection } from '@temporalio/client';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { ROOT, TEST_TEMPORAL_ADDRESS } from '../test/support/env';
import { Hub } from '../test/support/hub';
import { fullPathways, printFull, type FullRunResult } from './pathway/full-pathways';
import { HubRest, REFERRER } from './pathway/hub-rest';
import { openPathways, printOpen, type OpenRunResult } from './pathway/open-pathways';
import { ResultsListener } from './pathway/results-listener';
import { CONCURRENCY, LIST_TARGET_MS, MEMORY_TARGET, OPEN, PATHWAYS, STUDY_RATE, load, out } from './pathway/settings';
import { mib, ms, say } from './pathway/stats';

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

function printSummary(full: FullRunResult | null, open: OpenRunResult | null, loads: string[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  out('\n=== Summary ===');
  out(`  machine: 2 cores; load average (1/5/15 min) during the run: ${loads.join(' | ')}`);
  if (full) {
    const arrivals = STUDY_RATE > 0 ? `studies paced at ${STUDY_RATE}/s` : `burst: all ${full.n} studies signalled within ${full.seconds.signalsSent.toFixed(0)} s`;
    out(`  ${full.n} pathways request->closed: ${(full.n / full.seconds.endToEnd).toFixed(1)} pathways/s end to end`);
    out(`  study stable -> reading task (${arrivals}): p50 ${ms(full.readingLatency.p50)}, p95 ${ms(full.readingLatency.p95)}, max ${ms(full.readingLatency.max)}`);
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
