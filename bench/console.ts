/**
 * `npm run bench:console` (issue #14): how long each console page takes to render on demo data,
 * against the 300 ms target. The real hub (test/support's Hub: api, worker, gateways on the
 * suites' Temporal and Redis) is seeded through the REST API with BENCH_REQUESTS requests of
 * distinct patients (half of them scheduled); then every page is fetched BENCH_RUNS times, as its
 * role's demo user (the static demo token as a bearer, so sign-in is not in the figure), in
 * sequence, and p50/p95/max of the full answer (headers and HTML) are printed. The pages are the
 * console's screens (CONSOLE_SCREENS, whoever added them: their `screenshot.user` is the user) plus
 * the home page and the detail pages of one request.
 * Run with `flock /work/bench.lock npm run bench:console`.
 */
import { performance } from 'node:perf_hooks';
import { CONSOLE_SCREENS } from '../apps/api/src/console/console-screens';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { Hub } from '../test/support/hub';
import { waitFor } from '../test/support/wait-for';
import { percentile } from './pathway/stats';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TARGET_MS = 300;
const say = (m: string) => process.stderr.write(`[bench:console ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const bearer = (user: string) => ({ Authorization: `Bearer ${user}-token`, 'content-type': 'application/json' });

async function seed(hub: Hub): Promise<string> {
  let first = '';
  for (let i = 0; i < REQUESTS; i++) {
    const res = await fetch(`${hub.baseUrl}/requests`, {
      method: 'POST',
      headers: bearer('demo-referrer'),
      body: JSON.stringify({
        patient: { identifiers: [{ value: `BENCH-${i}`, issuer: '000000001' }], familyName: `PATIENT${i}`, givenName: 'Bench', birthDate: '19700101', sex: i % 2 ? 'F' : 'M' },
        referrer: { rpps: '10000000001', name: 'demo-referrer' },
        procedureCode: ['ZBQK002', 'ACQK001', 'ZBQH001', 'NFQK001'][i % 4],
        priority: ['routine', 'urgent', 'emergency'][i % 3],
        clinicalInformation: 'Bench',
        targetSite: i % 2 ? 'chu-nord' : 'clinique-sud',
      }),
    });
    if (res.status !== 201) throw new Error(`POST /requests: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    first ||= id;
  }
  await waitFor('requests mirrored', async () => (await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM exam_request WHERE state = 'received'`))[0].n === String(REQUESTS), 120_000, 500);
  const ids = (await hub.sql<{ id: string }>('SELECT id FROM exam_request ORDER BY created_at LIMIT $1', [Math.floor(REQUESTS / 2)])).map((r) => r.id);
  for (const id of ids) {
    const res = await fetch(`${hub.baseUrl}/requests/${id}/schedule`, {
      method: 'POST',
      headers: bearer('demo-coordinator'),
      body: JSON.stringify({ site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-07T09:30:00+01:00' }),
    });
    if (res.status !== 200) throw new Error(`schedule: ${res.status} ${await res.text()}`);
  }
  return first;
}

async function main(): Promise<void> {
  await globalSetup();
  const hub = new Hub({ name: 'bench', redisDb: 15 });
  try {
    await hub.start();
    say(`seeding ${REQUESTS} requests`);
    const id = await seed(hub);
    const pages = [
      { page: '/console', user: 'demo-coordinator' },
      ...CONSOLE_SCREENS.map((s) => ({ page: s.path, user: s.screenshot?.user ?? `demo-${s.area}` })),
      { page: `/console/referrer/requests/${id}`, user: 'demo-referrer' },
      { page: `/console/coordinator/pathways/${id}`, user: 'demo-coordinator' },
      { page: '/console/coordinator/pathways?state=scheduled&site=chu-nord', user: 'demo-coordinator' },
    ];
    const rows: string[] = [];
    for (const { page, user } of pages) {
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const t = performance.now();
        const res = await fetch(`${hub.baseUrl}${page}`, { headers: bearer(user) });
        await res.text();
        if (i >= 3) times.push(performance.now() - t); // the first answers warm the caches
        status = res.status;
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      rows.push(
        `${page.padEnd(62)} ${user.padEnd(18)} ${String(status).padEnd(4)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  max ${times[times.length - 1].toFixed(1).padStart(6)} ms  ${p95 <= TARGET_MS ? 'ok' : `OVER ${TARGET_MS} ms`}`,
      );
    }
    process.stdout.write(`console pages, ${REQUESTS} requests, ${RUNS} runs each (target ${TARGET_MS} ms):\n${rows.join('\n')}\n`);
  } finally {
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
