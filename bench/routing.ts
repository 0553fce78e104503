/**
 * npm run bench:routing — a CT study (BENCH_COUNT, 500) routed by a protocol to Orthanc, beside a
 * direct dcmtk storescu of the same files to the same Orthanc, in one run:
 *
 *  1. storescu → Orthanc (fresh storage): the reference time.
 *  2. Orthanc emptied (fresh storage, same ports); storescu → the hub; the study becomes stable, the
 *     published protocol routes it to Orthanc (storage commitment when BENCH_COMMITMENT is not 0).
 *     The routing's transfer time is from the start of its workflow (Temporal's start time: the
 *     hub has decided to send, as launching storescu does) to the recording of the last instance
 *     Orthanc acknowledged (forward_item), which comes after the association's release; the ratio
 *     is that over the direct time. "First answer" is the first acknowledgement recorded (the
 *     activity writes it at once). Also: study stable → delivered (with commitment when asked).
 *  3. Rule matching throughput: BENCH_SIMULATE_STUDIES (100,000) catalogue studies inserted in SQL,
 *     then POST /protocols/simulate over them (matching rate, and the request's whole time).
 *
 * BENCH_RUNS (1): rounds of both, each with a study of its own; medians printed.
 * BENCH_ASSOCIATIONS (1): the destination's associationsPerStudy (the routing's batches in parallel;
 * its maxAssociations cap stays 2).
 * Progress on stderr, results on stdout. Target: ratio ≤ 1.05.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { routeWorkflowId } from '@krypton/workflows/routing';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { dcmtk } from '../test/support/dcmtk';
import { ROOT, TEST_TEMPORAL_ADDRESS } from '../test/support/env';
import { Hub } from '../test/support/hub';
import { OrthancPeer } from '../test/support/orthanc';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait-for';
import { syntheticCt } from './synthetic-ct';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const COMMITMENT = process.env.BENCH_COMMITMENT !== '0';
// The destination's cap: the routing sends this many batches at once, each over its own association.
const ASSOCIATIONS = Number(process.env.BENCH_ASSOCIATIONS ?? 1);
const SIMULATE_STUDIES = Number(process.env.BENCH_SIMULATE_STUDIES ?? 100_000);
// Rounds of (direct, routed), each with its own study; medians are printed (the ratio's is the median of the rounds' ratios).
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const PROTOCOL = `id: bench-ct
name: CT from MODALITY1 to the regional PACS
rules:
  - name: CT to ORTHANC
    match: { sourceAes: [MODALITY1], modalities: [CT] }
    actions:
      route: [{ destination: ORTHANC }]
`;

function storescu(port: number, calledAe: string, files: string[]): number {
  const t = process.hrtime.bigint();
  const r = dcmtk('storescu', ['-aet', 'MODALITY1', '-aec', calledAe, '127.0.0.1', String(port), ...files], 900_000);
  if (r.status !== 0) throw new Error(`storescu to ${calledAe} failed: ${r.stderr.slice(0, 500)}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function freshOrthanc(dir: string, dicomPort: number, httpPort: number, hubPort: number): Promise<OrthancPeer> {
  rmSync(dir, { recursive: true, force: true });
  const o = new OrthancPeer(dir, dicomPort, httpPort, 'ORTHANC', { DicomModalities: { krypton: ['KRYPTON', '127.0.0.1', hubPort] } });
  await o.start();
  return o;
}

/** 100,000 studies in one statement each for patients, studies and series: the catalogue a simulation replays. */
async function seedCatalogue(hub: Hub, n: number): Promise<void> {
  await hub.sql(`INSERT INTO patient (patient_id, issuer, name) SELECT 'SIM-' || g, 'BENCH', 'SIM^' || g FROM generate_series(1, $1) g`, [n]);
  await hub.sql(
    `INSERT INTO study (study_uid, patient_fk, study_description, source_ae, stable_at)
     SELECT '2.25.' || (900000000 + g), p.id, CASE WHEN g % 3 = 0 THEN 'CT crane' ELSE 'IRM genou' END,
            CASE WHEN g % 2 = 0 THEN 'MODALITY1' ELSE 'MODALITY2' END, now() - (g % 20) * interval '1 day'
       FROM generate_series(1, $1) g JOIN patient p ON p.patient_id = 'SIM-' || g AND p.issuer = 'BENCH'`,
    [n],
  );
  await hub.sql(
    `INSERT INTO series (series_uid, study_fk, modality, body_part)
     SELECT s.study_uid || '.1', s.id, CASE WHEN s.study_description = 'CT crane' THEN 'CT' ELSE 'MR' END, CASE WHEN s.study_description = 'CT crane' THEN 'HEAD' ELSE 'KNEE' END
       FROM study s WHERE s.study_uid LIKE '2.25.9%'`,
  );
}

async function main(): Promise<void> {
  const ct = syntheticCt(COUNT, say);
  say(`${ct.files.length} instances; starting Temporal and bundling workflows`);
  await globalSetup();
  const [oDicom, oHttp] = await Promise.all([freePort(), freePort()]);
  const hub = new Hub({
    name: 'bench-routing',
    redisDb: 14,
    aes: [
      {
        name: 'ORTHANC',
        aeTitle: 'ORTHANC',
        site: 'region',
        host: '127.0.0.1',
        port: oDicom,
        kind: 'pacs',
        storageCommitment: COMMITMENT,
        maxAssociations: Math.max(2, ASSOCIATIONS),
        associationsPerStudy: ASSOCIATIONS,
      },
    ],
    config: { forwarding: { batchSize: 1000, retryInitialSeconds: 1, retryMaxSeconds: 5, giveUpAfterHours: 1 } },
  });
  const orthancDir = join(ROOT, 'data/bench/routing-orthanc');
  let orthanc: OrthancPeer | undefined;
  try {
    await hub.prepare();
    mkdirSync(join(hub.dir, 'protocols'), { recursive: true });
    writeFileSync(join(hub.dir, 'protocols', 'bench-ct.yaml'), PROTOCOL);
    for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) hub.startApp(app);
    await hub.waitHealthy();

    interface Round {
      direct: number;
      ingest: number;
      transfer: number;
      first: number;
      stable_to_routing: number;
      stable_to_delivered: number;
    }
    const rounds: Round[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each round its own study (another seed: other UIDs), so the hub routes a new one.
      const study = run === 0 ? ct : syntheticCt(COUNT, say, 42 + run);
      say(`round ${run + 1}/${RUNS}: direct storescu -> Orthanc`);
      await orthanc?.stop();
      orthanc = await freshOrthanc(orthancDir, oDicom, oHttp, hub.dicomPort);
      const direct = storescu(oDicom, 'ORTHANC', study.files);
      say(`direct: ${direct.toFixed(2)} s`);
      await orthanc.stop();

      orthanc = await freshOrthanc(orthancDir, oDicom, oHttp, hub.dicomPort);
      say('routed: storescu -> hub, protocol -> Orthanc');
      const ingest = storescu(hub.dicomPort, 'KRYPTON', study.files);
      say(`hub ingest: ${ingest.toFixed(2)} s; waiting for the routing`);
      await waitFor(
        'the routing to complete',
        async () => {
          const [j] = await hub.sql<{ state: string }>(`SELECT state FROM forward_job WHERE study_uid = $1`, [study.studyUid]);
          if (j && ['failed', 'waiting-for-operator', 'completed-with-failures'].includes(j.state)) throw new Error(`routing ended ${j.state}`);
          return j?.state === 'completed' ? j : null;
        },
        600_000,
        100,
      );
      // The routing's workflow start, as the Temporal server stamped it (same clock as PostgreSQL's).
      const connection = await Connection.connect({ address: TEST_TEMPORAL_ADDRESS });
      const started = (await new Client({ connection, namespace: hub.namespace }).workflow.getHandle(routeWorkflowId('bench-ct', 'ORTHANC', study.studyUid)).describe()).startTime;
      await connection.close();
      const [t] = await hub.sql<Omit<Round, 'direct' | 'ingest'>>(
        `SELECT extract(epoch FROM max(i.at) - $2::timestamptz)::float AS transfer,
                extract(epoch FROM min(i.at) - $2::timestamptz)::float AS first,
                extract(epoch FROM j.updated_at - s.stable_at)::float AS stable_to_delivered,
                extract(epoch FROM $2::timestamptz - s.stable_at)::float AS stable_to_routing
           FROM forward_job j JOIN forward_item i ON i.job_id = j.id JOIN study s ON s.study_uid = j.study_uid
          WHERE j.study_uid = $1 GROUP BY j.id, s.stable_at`,
        [study.studyUid, started.toISOString()],
      );
      const inOrthanc = (await orthanc.instances()).length;
      if (inOrthanc !== study.files.length) throw new Error(`Orthanc holds ${inOrthanc} instances, expected ${study.files.length}`);
      rounds.push({ direct, ingest, ...t });
      say(`round ${run + 1}: transfer ${t.transfer.toFixed(2)} s, ratio ${(t.transfer / direct).toFixed(3)}`);
    }
    const median = (f: (r: Round) => number) => {
      const v = rounds.map(f).sort((a, b) => a - b);
      return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    const direct = median((r) => r.direct);
    const ingest = median((r) => r.ingest);
    const t = {
      transfer: median((r) => r.transfer),
      first: median((r) => r.first),
      stable_to_routing: median((r) => r.stable_to_routing),
      stable_to_delivered: median((r) => r.stable_to_delivered),
    };
    const ratio = median((r) => r.transfer / r.direct);

    say(`simulate: seeding ${SIMULATE_STUDIES} catalogue studies`);
    await seedCatalogue(hub, SIMULATE_STUDIES);
    const simStart = process.hrtime.bigint();
    const res = await hub.api('/protocols/simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocolId: 'bench-ct', days: 30, list: 0 }),
    });
    const simSeconds = Number(process.hrtime.bigint() - simStart) / 1e9;
    const sim = (await res.json()) as { studiesEvaluated: number; studiesMatched: number; matchingPerSecond: number };
    if (res.status !== 200) throw new Error(`simulate answered ${res.status}: ${JSON.stringify(sim)}`);

    console.log(
      `\nRouting of ${ct.files.length} CT instances to Orthanc 1.10.1 (loopback, TCP_NODELAY=1, 2 cores shared, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; hub: ${ASSOCIATIONS} association(s), direct storescu: 1; ${RUNS === 1 ? 'one round' : `medians of ${RUNS} rounds`})`,
    );
    console.log(`  direct dcmtk storescu -> Orthanc:                 ${direct.toFixed(2)} s (${(ct.files.length / direct).toFixed(0)} instances/s)`);
    console.log(
      `  protocol routing hub -> Orthanc (transfer):       ${t.transfer.toFixed(2)} s (${(ct.files.length / t.transfer).toFixed(0)} instances/s; first answer after ${t.first.toFixed(2)} s)`,
    );
    console.log(`  ratio routing / direct:                           ${ratio.toFixed(3)}  [target <= 1.05: ${ratio <= 1.05 ? 'PASS' : 'FAIL'}]`);
    if (RUNS > 1) console.log(`  (ratio per round: ${rounds.map((r) => (r.transfer / r.direct).toFixed(3)).join(', ')})`);
    console.log(`  study stable -> routing started:                  ${t.stable_to_routing.toFixed(2)} s`);
    console.log(`  study stable -> delivered${COMMITMENT ? ' with storage commitment' : ' (no commitment asked)'}: ${t.stable_to_delivered.toFixed(2)} s`);
    console.log(`  (hub ingest of the study by storescu: ${ingest.toFixed(2)} s)`);
    console.log(
      `Simulate over ${sim.studiesEvaluated} catalogue studies (${sim.studiesMatched} matched): rule matching ${sim.matchingPerSecond.toLocaleString('en')} studies/s; whole request ${simSeconds.toFixed(2)} s`,
    );
  } finally {
    await orthanc?.stop();
    await hub.stop();
    await globalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
