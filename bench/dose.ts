/**
 * `npm run bench:dose`: extraction throughput over the shared RDSR set, the largest report, a
 * synthetic 1,000-event fluoroscopy report (parse and extraction timed apart), and a 12-month
 * patient-history query over 1 million dose events in a dedicated database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '@krypton/database';
import { extractDose, readPart10 } from '@krypton/dose-extraction';
import { syntheticFluoroscopyRdsrPart10 } from '../libs/dose-extraction/src/testing/synthetic-rdsr';
import { PatientHistoryService } from '../libs/dose-registry/src/analysis/patient-history.service';
import { loadConfig } from '@krypton/config';
import { Client } from 'pg';

const RDSR_DIR = join(__dirname, '../../shared/data/rdsr');
const BENCH_DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/krypton_bench_dose';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

async function main(): Promise<void> {
  const rows: [string, string, string][] = [];
  const files = readdirSync(RDSR_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => join(RDSR_DIR, f));
  const buffers = files.map((f) => readFileSync(f));
  const rounds = 5;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of buffers) extractDose(readPart10(b).dataset);
  const secs = (performance.now() - t0) / 1000;
  rows.push(['Throughput, shared RDSR set (parse + extract)', `${((rounds * buffers.length) / secs).toFixed(0)} reports/s`, `${buffers.length} files × ${rounds}`]);

  const largest = files.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
  const lb = readFileSync(largest);
  const lds = readPart10(lb).dataset;
  rows.push(['Largest report: parse', `${time(() => readPart10(lb), 10).toFixed(1)} ms`, `${largest.split('/').pop()} (${lb.length} B)`]);
  rows.push(['Largest report: extract', `${time(() => extractDose(lds), 10).toFixed(1)} ms`, `${extractDose(lds).events.length} events`]);

  const synth = syntheticFluoroscopyRdsrPart10({ eventCount: 1000 });
  const sds = readPart10(synth).dataset;
  const synthExtract = time(() => extractDose(sds), 10);
  rows.push(['1,000-event fluoro: parse', `${time(() => readPart10(synth), 5).toFixed(1)} ms`, `${synth.length} B`]);
  rows.push(['1,000-event fluoro: extract', `${synthExtract.toFixed(1)} ms`, 'from the parsed data set']);
  const fromBytes = time(() => extractDose(readPart10(synth).dataset), 5);
  rows.push(['1,000-event fluoro: bytes to events', `${fromBytes.toFixed(1)} ms`, `parse + extract; target < 200 ms: ${fromBytes < 200 ? 'met' : 'NOT met'}`]);

  rows.push(...(await historyBench()));
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  process.stdout.write(`\n${'Measure'.padEnd(w[0])}  ${'Result'.padEnd(w[1])}  Note\n${'-'.repeat(w[0] + w[1] + 30)}\n`);
  for (const r of rows) process.stdout.write(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2]}\n`);
}

/** 1,000,000 events (100,000 exams of 10 events) over 10,000 patients and three years. */
async function historyBench(): Promise<[string, string, string][]> {
  await migrate(BENCH_DB);
  const pg = new Client({ connectionString: BENCH_DB });
  await pg.connect();
  const have = Number((await pg.query('SELECT count(*) AS n FROM dose_event')).rows[0].n);
  let seeded = 'reused';
  if (have < 1_000_000) {
    const s = performance.now();
    await pg.query('TRUNCATE dose_alert_audit, dose_alert, dose_event, dose_report, dose_exam, instance, series, study, patient RESTART IDENTITY CASCADE');
    await pg.query(`INSERT INTO patient (patient_id, issuer, ins) SELECT 'P' || g, 'BENCH', lpad(g::text, 15, '1') FROM generate_series(1, 10000) g`);
    await pg.query(`INSERT INTO dose_exam (study_uid, patient_fk, performed_at, dose_modality, source, site, station_name, protocol, event_count, ctdivol_max_mgy, dlp_total_mgy_cm, dap_total_gy_m2, rp_dose_total_gy)
      SELECT '2.25.' || g, 1 + (g % 10000), now() - (g % 1095) * interval '1 day', (ARRAY['CT','XA','DX','MG','NM'])[1 + g % 5], 'rdsr',
             'site-' || (g % 4), 'ST' || (g % 20), 'P' || (g % 30), 10, 10 + g % 40, 300 + g % 500, (g % 100) * 1e-5, (g % 50) * 1e-3
        FROM generate_series(1, 100000) g`);
    await pg.query(`INSERT INTO dose_event (event_key, exam_fk, patient_fk, report_sop_uid, performed_at, dose_modality, source, protocol, ctdivol_mgy, dlp_mgy_cm, dap_gy_m2)
      SELECT '2.25.9.' || g, e.id, e.patient_fk, '2.25.8.' || e.id, e.performed_at, e.dose_modality, 'rdsr', e.protocol, 10 + g % 40, 30 + g % 50, (g % 100) * 1e-6
        FROM generate_series(0, 999999) g JOIN dose_exam e ON e.id = 1 + g / 10`);
    await pg.query('VACUUM ANALYZE patient, dose_exam, dose_event');
    seeded = `seeded in ${((performance.now() - s) / 1000).toFixed(1)} s`;
  }
  await pg.end();
  const cfg = loadConfig();
  const ds = new DataSource(dataSourceOptions(BENCH_DB));
  await ds.initialize();
  const svc = new PatientHistoryService(ds, cfg);
  const times: number[] = [];
  let exams = 0;
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    const h = await svc.history({ kind: 'local', issuer: 'BENCH', patientId: `P${1 + ((i * 197) % 10000)}` }, [12]);
    times.push(performance.now() - s);
    exams = h?.exams.length ?? 0;
  }
  await ds.destroy();
  const med = median(times.slice(5));
  return [
    ['Registry size', '1,000,000 events', `100,000 exams, 10,000 patients (${seeded})`],
    [
      '12-month patient history (median of 45)',
      `${med.toFixed(1)} ms`,
      `p95 ${[...times.slice(5)].sort((a, b) => a - b)[Math.floor(0.95 * 45)].toFixed(1)} ms; ${exams} exams/patient; target < 100 ms: ${med < 100 ? 'met' : 'NOT met'}`,
    ],
  ];
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
