import type { Client as PgClient } from 'pg';
import { loadConfig } from '@krypton/config';
import type { Hub } from '../../test/support/hub';
import { CpuMeter, hubProcesses } from './cpu-meter';
import type { HubRest } from './hub-rest';
import { createAndSchedule } from './request-batch';
import { RssSampler } from './rss-sampler';
import { CHU_NORD, CLINIQUE_SUD, IDLE_SECONDS, LIST_RUNS, RUN, load, out, row } from './settings';
import { mib, ms, say, sleep, spread, type Spread } from './stats';

/*
 * Part 2 of bench:pathway: many pathways parked where most of them spend their life (scheduled,
 * waiting for the modality), to see what they cost the worker and whether the coordinator's
 * lists stay fast when the mirror holds them all.
 */

/** What the worker's Temporal workflow cache holds at most: `temporal.maxCachedWorkflows` of the hub's configuration. */
function workflowCacheSize(hub: Hub): { size: number; text: string } {
  const size = loadConfig(hub.configFile).temporal.maxCachedWorkflows;
  return { size, text: `${size} (temporal.maxCachedWorkflows)` };
}

export interface OpenRunResult {
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
export async function openPathways(hub: Hub, rest: HubRest, pg: PgClient, n: number): Promise<OpenRunResult> {
  // A fresh worker: its memory then reflects the open pathways, not what part 1 left on its heap.
  say('restarting the worker for part 2');
  await hub.stopApp('worker');
  hub.startApp('worker');
  await hub.waitHealthy();
  await sleep(5000);
  const rss = new RssSampler(hub.procs.get('worker')!.pid!);
  const workerIdleBeforeRss = rss.current();

  say(`part 2: creating and scheduling ${n} requests (load ${load()})`);
  const cpu = new CpuMeter(hubProcesses(hub));
  const t0 = performance.now();
  // A plausible mix for the coordinator lists: 3 sites in 5 at CHU Nord, a quarter urgent,
  // one in 20 emergency, one in 50 with a local procedure code waiting to be mapped.
  const { tCreated, tScheduled } = await createAndSchedule(rest, n, (i) => ({
    placer: `${RUN}-O${i}`,
    priority: i % 20 === 0 ? 'emergency' : i % 4 === 1 ? 'urgent' : 'routine',
    slot: i % 5 < 3 ? CHU_NORD : CLINIQUE_SUD,
    procedureCode: i % 50 === 7 ? 'LOCAL0042' : 'ZBQK002',
    scheduleInMs: 86_400_000 + i * 60_000,
  }));
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

export function printOpen(r: OpenRunResult): void {
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
