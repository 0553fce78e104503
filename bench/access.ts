/**
 * `npm run bench:access` (issue #10): what the access decision and the audit cost.
 *
 * 100,000 studies (30,000 patients, 5 sites of 2 modality AEs each, one series and one instance
 * per study) are loaded straight into a dedicated PostgreSQL database, then:
 * 1. QIDO-RS over HTTP (the real DICOMweb controller, auth and access guards, the audit record
 *    written before the answer) for admin (no filter), a one-site radiologist with a reading pool,
 *    and a patient: p50/p95, and each filtered caller against admin's unfiltered search.
 * 2. The same search in SQL alone, with and without each caller's filter: the filter's own cost.
 * 3. The audit's cost on QIDO: SQL search + durable audit record against the SQL search alone.
 * Each "with vs without" runs in pairs, in a seeded random order per pair (`paired`); part 1's
 * audit on vs off over twice BENCH_RUNS pairs.
 * 4. The audit's cost on ingest: dcmtk storescu into the real gateway (the hub as the e2e suites
 *    start it), audit on vs off, alternated (BENCH_INGEST_COUNT instances per study, 100;
 *    BENCH_INGEST_ROUNDS studies each way, 4, after one untimed; 0 skips this part).
 * Ratios are printed; the issue's target is ≤ 1.10 for the audit on QIDO and on ingest.
 * BENCH_STUDIES, BENCH_RUNS change the sizes.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { parse, stringify } from 'yaml';
import { AccessGuard, AccessModule, AccessPolicy, examFilter, UserSubject } from '@krypton/access';
import { AuditService, AuditSpool, AuditWriter } from '@krypton/audit';
import { AuthGuard, AuthModule, sha256Hex } from '@krypton/auth';
import { CatalogModule, CatalogRow, CatalogService } from '@krypton/catalog';
import { DatabaseModule, dataSourceOptions, migrate } from '@krypton/database';
import { ConfigModule, loadConfig } from '@krypton/config';
import { IngestModule } from '@krypton/ingest';
import { loggingModule } from '@krypton/logging';
import { QueueModule } from '@krypton/queue';
import { StorageModule } from '@krypton/storage';
import { DataSource } from 'typeorm';
import { DicomwebModule } from '../apps/api/src/dicomweb/dicomweb.module';
import { configureApp } from '../apps/api/src/bootstrap';
import { parseQidoSearch } from '../apps/api/src/dicomweb/qido-search';
import { qidoResult } from '../apps/api/src/dicomweb/qido-result';
import { DicomwebUrls } from '../apps/api/src/dicomweb/dicomweb-urls';
import { percentile } from './pathway/stats';
import { storescuTimed } from './support/storescu';
import { syntheticCt } from './synthetic-ct';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk } from '../test/support/dcmtk';
import { Hub } from '../test/support/hub';
import { waitFor } from '../test/support/wait-for';

const say = (msg: string) => process.stderr.write(`[bench:access ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const STUDIES = Number(process.env.BENCH_STUDIES ?? 100_000);
const PATIENTS = Math.max(10, Math.round(STUDIES * 0.3));
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/krypton_bench_access';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const PATIENT_INS = '180017512345678';
const QIDO = '/dicomweb/studies?limit=101&includefield=00081030,00080060';
const SITES = ['site-0', 'site-1', 'site-2', 'site-3', 'site-4'];

const USERS = {
  admin: { name: 'bench-admin', roles: ['admin'], token: 'bench-admin-token' },
  radiologist: { name: 'bench-radiologist', roles: ['radiologist'], site: 'site-0', pools: ['regional-teleradiology'], token: 'bench-radiologist-token' },
  patient: { name: 'bench-patient', roles: ['patient'], identifiers: [`ins:${PATIENT_INS}`], token: 'bench-patient-token' },
};

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const c = new Client({ connectionString: DB });
  await c.connect();
  try {
    await c.query(text, values);
  } finally {
    await c.end();
  }
}

async function resetDatabase(): Promise<void> {
  const u = new URL(DB);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
}

/** Straight into PostgreSQL: patients, studies spread over 10 AEs and 5 years, a series and an instance each. */
async function load(): Promise<void> {
  const t0 = performance.now();
  await resetDatabase();
  await migrate(DB);
  await sql(
    `INSERT INTO patient (patient_id, issuer, name, birth_date, sex, ins)
     SELECT 'P' || g, 'BENCH', 'PATIENT' || g || '^BENCH', '19700101', CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
            CASE WHEN g = 1 THEN $1 ELSE '2' || lpad(g::text, 14, '0') END
       FROM generate_series(1, $2::int) g`,
    [PATIENT_INS, PATIENTS],
  );
  await sql(
    `INSERT INTO study (study_uid, patient_fk, study_date, study_time, accession_number, study_description, source_ae, stable_at)
     SELECT '1.2.826.0.1.3680043.10.543.' || g, 1 + (g % $2::int), to_char(date '2021-01-01' + (g % 1800), 'YYYYMMDD'), '101500',
            'ACC' || g, 'CT THORAX', 'MOD' || (g % 10), now()
       FROM generate_series(1, $1::int) g`,
    [STUDIES, PATIENTS],
  );
  await sql(`INSERT INTO series (series_uid, study_fk, modality, series_number) SELECT study_uid || '.1', id, 'CT', 1 FROM study`);
  await sql(
    `INSERT INTO instance (sop_instance_uid, series_fk, sop_class_uid, instance_number, transfer_syntax_uid, storage_key, file_size)
     SELECT series_uid || '.1', id, '1.2.840.10008.5.1.4.1.1.2', 1, '1.2.840.10008.1.2.1', 'bench/' || id, 1000 FROM series`,
  );
  // 500 exams waiting in the radiologist's pool (from other sites), and the patient's exams released to them.
  await sql(
    `INSERT INTO exam_request (id, source, patient, patient_family_name, referrer, procedure_code, procedure_unmapped, priority, state, workflow_id, acquired_study_uid, target_site)
     SELECT gen_random_uuid(), 'rest', '{}', 'BENCH', '{}', 'ZBQK002', false, 'routine', 'reading', 'bench-' || s.id, s.study_uid, 'site-3'
       FROM study s WHERE s.source_ae = 'MOD3' ORDER BY s.id LIMIT 500`,
  );
  await sql(
    `INSERT INTO reading_task (request_id, pool, priority, state, opened_at, warn_at, due_at)
     SELECT id, 'regional-teleradiology', 'routine', 'open', now(), now(), now() + interval '3 days' FROM exam_request`,
  );
  await sql(
    `INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by)
     SELECT gen_random_uuid(), s.study_uid, 'ins:' || $1, 'released', 'report signed', 'bench' FROM study s JOIN patient p ON p.id = s.patient_fk WHERE p.ins = $1`,
    [PATIENT_INS],
  );
  await sql('ANALYZE');
  say(`loaded ${STUDIES} studies of ${PATIENTS} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function writeConfig(dir: string): string {
  const demo = parse(readFileSync(join(__dirname, '../config/krypton.yaml'), 'utf8'));
  const cfg = {
    ...demo,
    database: { url: DB },
    redis: { url: REDIS },
    storage: { root: join(dir, 'storage') },
    dicom: { ...demo.dicom, minFreeSpaceMb: 0 },
    log: { level: 'warn' },
    // The demo sites stay (other sections of the demo configuration name them); the bench's five are added.
    sites: [...demo.sites, ...SITES.map((id) => ({ id, name: id }))],
    aes: Array.from({ length: 10 }, (_, i) => ({ aeTitle: `MOD${i}`, site: SITES[i % 5], kind: 'modality' })),
    users: Object.values(USERS).map(({ token, ...u }) => ({ ...u, tokenSha256: sha256Hex(token) })),
  };
  const file = join(dir, 'krypton.yaml');
  writeFileSync(file, stringify(cfg));
  return file;
}

@Module({
  imports: [ConfigModule, AuthModule, loggingModule('api'), DatabaseModule, CatalogModule, AccessModule, StorageModule, QueueModule, IngestModule, DicomwebModule],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
})
class BenchApiModule {}

interface Timing {
  p50: number;
  p95: number;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
}

/**
 * Runs two measurements in pairs, in an order drawn at random for each pair (seeded, the same
 * every run), so that load from other processes falls on both alike. Not strictly a, b, a, b:
 * work the audit leaves behind (the spool's drain, a fixed delay after a record) would then fall
 * at a fixed phase on `a` when a pair takes about that delay, and be counted against `a` alone.
 */
async function paired(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>, warmUp = Math.min(20, runs)): Promise<[Timing, Timing]> {
  for (let i = 0; i < warmUp; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const aFirst = coinFlips(0x5eed);
  for (let i = 0; i < runs; i++) {
    const order: [() => Promise<unknown>, number[]][] = [
      [a, ta],
      [b, tb],
    ];
    if (!aFirst()) order.reverse();
    for (const [fn, times] of order) {
      const s = performance.now();
      await fn();
      times.push(performance.now() - s);
    }
  }
  return [
    { p50: percentile(ta, 50), p95: percentile(ta, 95) },
    { p50: percentile(tb, 50), p95: percentile(tb, 95) },
  ];
}

/** A seeded coin (mulberry32): reproducible orders for `paired`. */
function coinFlips(seed: number): () => boolean {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return (r ^ (r >>> 14)) >>> 0 < 0x80000000;
  };
}

const ms = (t: Timing) => `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`;
const verdict = (on: Timing, off: Timing) => `${on.p50 / off.p50 <= 1.1 ? 'met' : 'NOT met'} (p50), ${on.p95 / off.p95 <= 1.1 ? 'met' : 'NOT met'} (p95)`;
const ratio = (a: Timing, b: Timing) => `×${(a.p50 / b.p50).toFixed(2)} (p50), ×${(a.p95 / b.p95).toFixed(2)} (p95)`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'krypton-bench-access-'));
  process.env.KRYPTON_CONFIG = writeConfig(dir);
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'STORAGE_ROOT', 'HTTP_PORT', 'LOG_LEVEL']) delete process.env[k];
  await load();

  const app = await NestFactory.create(BenchApiModule, { bufferLogs: true });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const lines: string[] = [];
  const print = (s: string) => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  print(`bench:access — ${STUDIES.toLocaleString('en')} studies, ${RUNS} runs per measure, QIDO ${QIDO}`);

  // 1. Over HTTP, as the viewer's study list asks.
  const http = async (token: string) => {
    const res = await fetch(`${base}${QIDO}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/dicom+json' } });
    const body = await res.arrayBuffer();
    if (res.status !== 200 && res.status !== 204) throw new Error(`QIDO ${res.status}: ${Buffer.from(body).toString()}`);
    return body.byteLength;
  };
  const counts = Object.fromEntries(
    await Promise.all(
      Object.entries(USERS).map(async ([k, u]) => [k, ((await (await fetch(`${base}${QIDO}`, { headers: { Authorization: `Bearer ${u.token}` } })).text()).match(/"0020000D"/g) ?? []).length]),
    ),
  );
  const hAdmin = await timed(RUNS, () => http(USERS.admin.token));
  const hRad = await timed(RUNS, () => http(USERS.radiologist.token));
  const hPat = await timed(RUNS, () => http(USERS.patient.token));
  print('');
  print('1. QIDO-RS over HTTP (auth + access guard + SQL filter + durable audit record)');
  print(`   admin (no filter, ${counts.admin} results)         ${ms(hAdmin)}`);
  print(`   radiologist, one site + pool (${counts.radiologist})   ${ms(hRad)}   vs admin ${ratio(hRad, hAdmin)}`);
  print(`   patient (${counts.patient} results)                  ${ms(hPat)}   vs admin ${ratio(hPat, hAdmin)}`);
  // The audit's cost on the whole request: the same admin search with the audit record, and with
  // AccessService's record call answering at once (the bench's switch; the hub has no such mode).
  const auditService = app.get(AuditService);
  const record = auditService.record.bind(auditService);
  let skipped = 0;
  const withoutAudit = async () => {
    auditService.record = () => {
      skipped++;
      return Promise.resolve();
    };
    try {
      return await http(USERS.admin.token);
    } finally {
      auditService.record = record;
    }
  };
  const [hOn, hOff] = await paired(2 * RUNS, () => http(USERS.admin.token), withoutAudit);
  if (!skipped) throw new Error('the audit switch of the bench did not reach the controller');
  print(`   admin, audit on vs off (paired)        on ${ms(hOn)}   off ${ms(hOff)}   ${ratio(hOn, hOff)}   target ≤ ×1.10: ${verdict(hOn, hOff)}`);

  // 2. The filter's own cost: the same SQL with and without it.
  const cfg = loadConfig();
  const ds = new DataSource(dataSourceOptions(DB));
  await ds.initialize();
  const catalog = new CatalogService(ds);
  const policy = AccessPolicy.fromConfig(cfg);
  const parsed = parseQidoSearch('STUDY', { limit: '101', includefield: '00081030,00080060' });
  const search = parsed.query;
  const qido = search;
  const subject = (u: (typeof USERS)[keyof typeof USERS]): UserSubject => ({
    kind: 'user',
    id: u.name,
    roles: u.roles,
    sites: 'site' in u ? [u.site] : [],
    pools: 'pools' in u ? u.pools : [],
    identifiers: 'identifiers' in u ? u.identifiers : [],
  });
  print('');
  print("2. The same search in SQL, with and without the caller's access filter (paired, random order)");
  for (const k of ['radiologist', 'patient'] as const) {
    const f = examFilter(policy, subject(USERS[k]), 'search');
    const scope = f === 'all' ? undefined : f;
    const [withF, without] = await paired(
      RUNS,
      () => catalog.query({ ...search, scope, withAuditKeys: true }),
      () => catalog.query(search),
    );
    print(`   ${k.padEnd(12)} with filter ${ms(withF)}   without ${ms(without)}   ${ratio(withF, without)}`);
  }

  // 3. The audit's cost on QIDO: one durable record per request, through the spool the api uses
  //    (an O_DSYNC write, group commit, drained into audit_event behind), measured on the
  //    handler's work (SQL + the DICOM JSON answer), as the controller does it: the record is made
  //    durable while the answer is built, and nothing is sent before both are done.
  const spoolDir = join(dir, 'audit-spool');
  const writer = new AuditWriter((text, values) => ds.query(text, values));
  const spool = new AuditSpool({ dir: spoolDir, insert: (r) => writer.write(r), maxLagMs: 60_000, log: { warn: say, error: say } });
  spool.start();
  const urls = new DicomwebUrls('http://127.0.0.1');
  const options = { level: 'STUDY' as const, include: parsed.include, matched: [] as string[], scopedToParent: false, urls };
  const answer = (rows: CatalogRow[]) => JSON.stringify(rows.map((r) => qidoResult(r, options))).length;
  const auditRecord = (rows: CatalogRow[]) => ({
    userId: 'bench-admin',
    roles: ['admin'],
    site: null,
    action: 'search',
    outcome: 'allowed' as const,
    door: 'DICOMweb' as const,
    resourceType: 'study',
    patients: rows.map((r) => String(r.__ins ?? r.__pkey)),
    studies: rows.map((r) => String(r.__study)),
    reason: 'bench',
    clientAddress: '127.0.0.1',
  });
  const plain = async () => answer(await catalog.query({ ...qido, withAuditKeys: true }));
  const overlapped = async () => {
    const rows = await catalog.query({ ...qido, withAuditKeys: true });
    const audited = spool.write(auditRecord(rows));
    const n = answer(rows);
    await audited;
    return n;
  };
  const sequential = async () => {
    const rows = await catalog.query({ ...qido, withAuditKeys: true });
    await spool.write(auditRecord(rows));
    return answer(rows);
  };
  const direct = async () => {
    const rows = await catalog.query({ ...qido, withAuditKeys: true });
    await writer.write(auditRecord(rows));
    return answer(rows);
  };
  const [aOn, aOff] = await paired(RUNS, overlapped, plain);
  const [sOn, sOff] = await paired(RUNS, sequential, plain);
  const [dOn, dOff] = await paired(RUNS, direct, plain);
  await spool.drained(30_000);
  print('');
  print('3. Audit on QIDO (admin search, 101 results, SQL + DICOM JSON answer): with the durable record vs without (paired, random order)');
  print(`   spool, as the controller (answer built during the flush)  on ${ms(aOn)}   off ${ms(aOff)}   ${ratio(aOn, aOff)}   target ≤ ×1.10: ${verdict(aOn, aOff)}`);
  print(`   spool, record then answer                                 on ${ms(sOn)}   off ${ms(sOff)}   ${ratio(sOn, sOff)}`);
  print(`   before: a PostgreSQL commit per access                   on ${ms(dOn)}   off ${ms(dOff)}   ${ratio(dOn, dOff)}`);
  // 3b. Under concurrency: 16 clients at once, where the group commit shares one fdatasync.
  const burst = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = 0; i < Math.max(5, Math.round(RUNS / 10)); i++) await fn();
      }),
    );
    return performance.now() - t0;
  };
  await burst(plain);
  const bOff = await burst(plain);
  const bOn = await burst(overlapped);
  const bOff2 = await burst(plain);
  print(`   16 concurrent clients, total time: on ${bOn.toFixed(0)} ms, off ${((bOff + bOff2) / 2).toFixed(0)} ms   ×${(bOn / ((bOff + bOff2) / 2)).toFixed(2)}`);

  await spool.stop();
  await ds.destroy();
  await app.close();

  // 4. The audit's cost on ingest, through the real gateway.
  await ingestThroughGateway(print);
  process.exit(0);
}

/**
 * 4. The audit's cost on ingest through the real DICOM gateway: dcmtk storescu into the hub as
 * test/support/hub.ts starts it (api, worker, gateway with its configured process count, a fresh
 * database), one synthetic CT study per round, with the gateway's audit on and off alternately
 * (off: the gateway restarted with bench/support/audit-off.js preloaded, its spool writes
 * nothing). Timed: storescu's wall time (received, stored, fsynced, audited: what the audit can
 * slow) and until QIDO-RS lists every instance. Each study is checked to have its one C-STORE
 * record with the audit on, none with it off.
 */
async function ingestThroughGateway(print: (s: string) => void): Promise<void> {
  const count = Number(process.env.BENCH_INGEST_COUNT ?? 100);
  const rounds = Number(process.env.BENCH_INGEST_ROUNDS ?? 4);
  if (rounds <= 0) return; // BENCH_INGEST_ROUNDS=0: the QIDO parts only
  const warmUp = syntheticCt(count, say, 1000);
  const studies = Array.from({ length: 2 * rounds }, (_, i) => syntheticCt(count, say, 1001 + i));
  say(`ingest: ${studies.length} studies of ${count} instances; starting Temporal and the hub`);
  await globalSetup();
  const hub = new Hub({ name: 'bench-access', redisDb: 12, configuredGatewayProcesses: true });
  try {
    await hub.start();
    const preload = `--require ${join(__dirname, 'support/audit-off.js')}`;
    const gateway = async (auditOff: boolean) => {
      await hub.stopApp('dicom-gateway');
      hub.startApp('dicom-gateway', auditOff ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim() } : {});
      await waitFor('the gateway', () => dcmtk('echoscu', hub.scu('MODALITY1')).status === 0, 180_000, 250);
    };
    // Untimed: the first study after start-up also warms the worker's indexing (40 s once at load 18).
    await storescuTimed(hub.dicomPort, 'MODALITY1', 'KRYPTON', warmUp.files);
    const sent = { on: [] as number[], off: [] as number[] };
    const listed = { on: [] as number[], off: [] as number[] };
    const audited = { on: [] as string[], off: [] as string[] };
    let k = 0;
    for (let r = 0; r < rounds; r++) {
      // Alternated, and the order swapped each round: what the machine does meanwhile falls on both.
      for (const off of r % 2 ? [true, false] : [false, true]) {
        const study = studies[k++];
        const way = off ? 'off' : 'on';
        await gateway(off);
        const started = process.hrtime.bigint();
        sent[way].push(await storescuTimed(hub.dicomPort, 'MODALITY1', 'KRYPTON', study.files));
        await waitFor(
          'QIDO-RS to list every instance',
          async () => {
            const res = await hub.api(`/dicomweb/studies?StudyInstanceUID=${study.studyUid}&includefield=00201208`);
            if (res.status !== 200) return false;
            const [row] = (await res.json()) as Record<string, { Value?: number[] }>[];
            return row?.['00201208']?.Value?.[0] === study.files.length;
          },
          300_000,
          20,
        );
        listed[way].push(Number(process.hrtime.bigint() - started) / 1e9);
        audited[way].push(study.studyUid);
        say(`ingest round ${r + 1}, audit ${way}: storescu ${sent[way].at(-1)!.toFixed(2)} s, listed after ${listed[way].at(-1)!.toFixed(2)} s`);
      }
    }
    // The switch did what it says: one C-STORE record per study with the audit on, none with it off.
    const records = async (uid: string) => (await hub.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE door = 'DIMSE' AND action = 'write' AND studies @> ARRAY[$1]`, [uid]))[0].n;
    await waitFor('the C-STORE records drained', async () => (await Promise.all(audited.on.map(records))).every((n) => n === 1), 30_000);
    for (const uid of audited.off) if ((await records(uid)) !== 0) throw new Error(`study ${uid} was audited with the audit switched off`);
    const med = (xs: number[]) => percentile(xs, 50);
    const r1 = med(sent.on) / med(sent.off);
    const r2 = med(listed.on) / med(listed.off);
    print('');
    print(`4. Audit on ingest through the gateway (dcmtk storescu, ${count} CT instances per study, ${rounds} studies each way, alternated; medians)`);
    print(
      `   storescu until done (stored, fsynced, audited)  on ${med(sent.on).toFixed(2)} s   off ${med(sent.off).toFixed(2)} s   ×${r1.toFixed(2)}   target ≤ ×1.10: ${r1 <= 1.1 ? 'met' : 'NOT met'}`,
    );
    print(`   until QIDO-RS lists every instance               on ${med(listed.on).toFixed(2)} s   off ${med(listed.off).toFixed(2)} s   ×${r2.toFixed(2)}`);
  } finally {
    await hub.stop();
    await globalTeardown();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:access failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
