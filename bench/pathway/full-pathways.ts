import type { Client } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import type { Hub } from '../../test/support/hub';
import { acquisitionSignal, pathwayWorkflowId } from '@krypton/workflows/pathway';
import { CpuMeter, hubProcesses } from './cpu-meter';
import { DoseSeeder } from './dose-seeder';
import { createAndSchedule } from './request-batch';
import type { HubRest } from './hub-rest';
import type { ResultsListener } from './results-listener';
import { RssSampler } from './rss-sampler';
import { CHU_NORD, CONCURRENCY, RUN, STUDY_RATE, load, out, row, spreadText } from './settings';
import { forEachBounded, mib, progress, say, sleep, spread, type Spread } from './stats';
import { watch } from './watch';

/*
 * Part 1 of bench:pathway: every step a pathway goes through, driven the way the hub's own doors
 * drive it (REST for people, signals for what the acquisition matcher would send), each phase timed
 * on its own so a slow step shows by name.
 */

export interface FullRunResult {
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
export async function fullPathways(hub: Hub, rest: HubRest, temporal: Client, pg: PgClient, listener: ResultsListener, n: number): Promise<FullRunResult> {
  const rss = new RssSampler(hub.procs.get('worker')!.pid!);
  let cpu = new CpuMeter(hubProcesses(hub));
  const t0 = performance.now();
  say(`part 1: creating and scheduling ${n} requests (load ${load()})`);
  const batch = await createAndSchedule(rest, n, (i) => ({ placer: `${RUN}-F${i}`, priority: i % 10 === 0 ? 'urgent' : 'routine', slot: CHU_NORD, scheduleInMs: 3600_000 + i * 60_000 }));
  const { ids, tCreated, tScheduled } = batch;
  const studies = new Map(ids.map((id, i) => [id, batch.studies[i]]));
  const cpuCreateSchedule = cpu.read();

  say(`registering ${n} dose exams (dose registry service)`);
  const dose = new DoseSeeder(hub.dbUrl);
  await dose.open();
  let done = 0;
  let p = progress('dose', n, () => done);
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
  cpu = new CpuMeter(hubProcesses(hub));
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
  cpu = new CpuMeter(hubProcesses(hub));
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
  const closedAt = new Map(
    (await pg.query<{ id: string; closed_at: Date }>('SELECT id::text AS id, closed_at FROM exam_request WHERE id = ANY($1::uuid[])', [ids])).rows.map((r) => [r.id, r.closed_at.getTime()]),
  );
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

export function printFull(r: FullRunResult): void {
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
