/**
 * npm run bench:catalogue — QIDO-RS study searches on a catalogue of millions of studies.
 *
 *  1. Loads a synthetic catalogue (BENCH_STUDIES, default 2,000,000; BENCH_SERIES_PER_STUDY 2,
 *     BENCH_INSTANCES_PER_SERIES 3) straight into PostgreSQL with generate_series, in a database
 *     of its own (BENCH_CATALOGUE_DB, default krypton_bench_catalogue), migrated like the hub's.
 *     A database left by an earlier run with the same size is reused (BENCH_KEEP=1 keeps it
 *     afterwards; by default it is dropped, the disk is shared). Refuses a size whose estimate
 *     would leave less than 40 GB free.
 *  2. Starts the real api (test/support/hub.ts) on that database and times the searches OHIF and
 *     a PACS make (bench/catalogue/searches.ts), BENCH_SEARCHES (200) of each, one at a time,
 *     after a warm-up: first with the indexes as they were before the catalogue-scale migration,
 *     then with them. Prints p50/p95 per search and phase, and the EXPLAIN ANALYZE of one query of
 *     each kind (the SQL the api runs, built by the same code), checking that no catalogue table
 *     is read by a sequential scan. Target: p95 < 100 ms with the indexes.
 */
import { loadavg } from 'node:os';
import { statfsSync } from 'node:fs';
import { Client } from 'pg';
import { buildCatalogQuery, fewPatients, studyOrderProbe, type StudyOrder } from '@krypton/catalog';
import { ensureDatabase, migrate } from '@krypton/database';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { Hub } from '../test/support/hub';
import { waitFor } from '../test/support/wait-for';
import { parseQidoSearch } from '../apps/api/src/dicomweb/qido-search';
import { CATALOGUE_SCALE_INDEXES, CATALOGUE_SCALE_REPLACED } from '../libs/catalog/src/migrations/1767600000000-catalogue-scale';
import { loadedSize, loadSyntheticCatalogue, type CatalogueSize } from './catalogue/synthetic-catalogue';
import { OHIF_PAGE, searchKinds, type SearchKind } from './catalogue/searches';
import { percentile } from './pathway/stats';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const SIZE: CatalogueSize = {
  studies: num('BENCH_STUDIES', 2_000_000),
  seriesPerStudy: num('BENCH_SERIES_PER_STUDY', 2),
  instancesPerSeries: num('BENCH_INSTANCES_PER_SERIES', 3),
};
const SEARCHES = num('BENCH_SEARCHES', 200);
/** A kind that is slow without its index stops after this long (at least 10 searches). */
const KIND_BUDGET_MS = num('BENCH_KIND_BUDGET_MS', 30_000);
const TARGET_P95_MS = 100;
const DB_NAME = process.env.BENCH_CATALOGUE_DB ?? 'krypton_bench_catalogue';
const DB_URL = `postgres://postgres@127.0.0.1:5432/${DB_NAME}`;
/** Measured on a 2,000,000-study load: about 1.6 kB per study and 0.3 kB per instance, indexes included. */
const estimateBytes = (s: CatalogueSize) => s.studies * (1600 + 300 * s.seriesPerStudy * s.instancesPerSeries);

const say = (m: string) => process.stderr.write(`[bench:catalogue ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const out = (m: string) => process.stdout.write(`${m}\n`);

async function prepareDatabase(): Promise<Client> {
  await ensureDatabase(DB_URL);
  let pg = new Client({ connectionString: DB_URL });
  await pg.connect();
  const existing = await loadedSize(pg);
  if (existing && JSON.stringify(existing) === JSON.stringify(SIZE)) {
    say(`reusing ${DB_NAME} (${SIZE.studies.toLocaleString()} studies)`);
    return pg;
  }
  const free = statfsSync('/var/lib/postgresql').bavail * statfsSync('/var/lib/postgresql').bsize;
  if (free - estimateBytes(SIZE) < 40e9) {
    throw new Error(`a catalogue of ${SIZE.studies.toLocaleString()} studies needs about ${(estimateBytes(SIZE) / 1e9).toFixed(0)} GB; ${(free / 1e9).toFixed(0)} GB free would fall under 40 GB`);
  }
  await pg.end();
  const admin = new Client({ connectionString: DB_URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await admin.end();
  await migrate(DB_URL);
  pg = new Client({ connectionString: DB_URL });
  await pg.connect();
  say(`loading ${SIZE.studies.toLocaleString()} studies into ${DB_NAME} (about ${(estimateBytes(SIZE) / 1e9).toFixed(1)} GB)`);
  await loadSyntheticCatalogue(pg, SIZE, say);
  return pg;
}

async function setIndexes(pg: Client, phase: 'before' | 'after'): Promise<void> {
  const [add, drop] = phase === 'after' ? [CATALOGUE_SCALE_INDEXES, CATALOGUE_SCALE_REPLACED] : [CATALOGUE_SCALE_REPLACED, CATALOGUE_SCALE_INDEXES];
  for (const ix of add) {
    const t0 = performance.now();
    await pg.query(ix.create.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    say(`${phase}: ${ix.name} in place (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  for (const ix of drop) await pg.query(`DROP INDEX IF EXISTS ${ix.name}`);
  await pg.query('ANALYZE study, series');
}

interface KindResult {
  readonly name: string;
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly meanRows: number;
}

async function timeKind(hub: Hub, kind: SearchKind): Promise<KindResult> {
  const get = async (qs: string) => {
    const res = await hub.api(`/dicomweb/studies?${qs ? `${qs}&` : ''}${OHIF_PAGE}`, { headers: { Accept: 'application/dicom+json' } });
    if (res.status !== 200 && res.status !== 204) throw new Error(`GET /dicomweb/studies?${qs} answered ${res.status}: ${await res.text()}`);
    return res.status === 200 ? ((await res.json()) as unknown[]).length : 0;
  };
  for (let i = 0; i < 5; i++) await get(kind.next());
  const times: number[] = [];
  let rows = 0;
  const t0 = performance.now();
  while (times.length < SEARCHES && (times.length < 10 || performance.now() - t0 < KIND_BUDGET_MS)) {
    const qs = kind.next();
    const t = performance.now();
    rows += await get(qs);
    times.push(performance.now() - t);
  }
  return { name: kind.name, n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), meanRows: rows / times.length };
}

/** EXPLAIN ANALYZE of the SQL the api runs for this query string; flags sequential scans of catalogue tables. */
async function explain(pg: Client, kind: SearchKind): Promise<{ plan: string; seqScan: boolean; index: boolean }> {
  const params = Object.fromEntries(new URLSearchParams(`${kind.next()}&${OHIF_PAGE}`));
  const query = parseQidoSearch('STUDY', params).query;
  // The order the api chooses for these keys (CatalogService.studyOrder), so the plan is the api's.
  const cap = fewPatients(Number((await pg.query(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'patient'::regclass`)).rows[0].n));
  const probe = studyOrderProbe(query, cap);
  const order: StudyOrder = typeof probe === 'string' ? probe : (await pg.query(probe.text, probe.values)).rows[0].n < cap ? 'sort' : 'index';
  const built = buildCatalogQuery(query, order);
  const rows = await pg.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${built.text}`, built.values);
  const plan = rows.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  return { plan, seqScan: /Seq Scan on (patient|study|series|instance)\b/.test(plan), index: /Index (Only )?Scan/.test(plan) };
}

async function measurePhase(pg: Client, hub: Hub, kinds: SearchKind[], phase: 'before' | 'after'): Promise<KindResult[]> {
  await setIndexes(pg, phase);
  const results: KindResult[] = [];
  for (const kind of kinds) {
    const r = await timeKind(hub, kind);
    say(`${phase}: ${r.name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.n} searches, ${r.meanRows.toFixed(1)} results on average)`);
    results.push(r);
  }
  out(`\n=== EXPLAIN ANALYZE, ${phase} the catalogue-scale indexes ===`);
  for (const kind of kinds) {
    const e = await explain(pg, kind);
    out(`\n--- ${kind.name}: ${e.seqScan ? 'SEQUENTIAL SCAN of a catalogue table' : 'index access only'} ---\n${e.plan}`);
  }
  return results;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  say(`catalogue of ${SIZE.studies.toLocaleString()} studies x ${SIZE.seriesPerStudy} series x ${SIZE.instancesPerSeries} instances`);
  const pg = await prepareDatabase();
  const dbSize = (await pg.query('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0].s;
  await globalSetup();
  const hub = new Hub({ name: 'catalogue', redisDb: 14, env: { DATABASE_URL: DB_URL } });
  try {
    await hub.start(['api']);
    await waitFor('api up', async () => (await hub.api('/dicomweb/studies?limit=1').catch(() => null))?.status === 200, 60_000, 300);
    const kinds = await searchKinds(pg, SIZE);
    const before = await measurePhase(pg, hub, kinds, 'before');
    const after = await measurePhase(pg, hub, kinds, 'after');
    out(`\n=== Summary: QIDO-RS /studies through the api, ${SIZE.studies.toLocaleString()} studies (${dbSize}), OHIF paging (limit 101) ===`);
    out(
      `  load average: ${loadavg()
        .map((x: number) => x.toFixed(2))
        .join(' ')}`,
    );
    out('  search                                  before p50/p95 (ms)   after p50/p95 (ms)   target p95 < 100 ms');
    for (let i = 0; i < kinds.length; i++) {
      const b = before[i];
      const a = after[i];
      out(`  ${a.name.padEnd(40)}${`${b.p50.toFixed(1)} / ${b.p95.toFixed(1)}`.padEnd(22)}${`${a.p50.toFixed(1)} / ${a.p95.toFixed(1)}`.padEnd(21)}${a.p95 < TARGET_P95_MS ? 'PASS' : 'FAIL'}`);
    }
    out(`  (total ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  } finally {
    await hub.stop();
    await globalTeardown();
    await pg.end();
    if (process.env.BENCH_KEEP !== '1') {
      const admin = new Client({ connectionString: DB_URL.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
      await admin.end();
      say(`dropped ${DB_NAME} (BENCH_KEEP=1 keeps it for the next run)`);
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
