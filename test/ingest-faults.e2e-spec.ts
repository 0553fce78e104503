/**
 * Nothing acknowledged is lost or left unindexed, whatever dies while objects arrive (issue #13).
 * The hub runs on a PostgreSQL cluster, a Redis server and a Temporal dev server of this suite's
 * own (test/support/private-services.ts), because the suite stops them. Each phase sends a new
 * study by C-STORE (dcmtk storescu) and another by STOW-RS while a fault strikes, then checks, for
 * every instance the hub acknowledged: QIDO-RS lists it, its study reaches its lifecycle workflow
 * (`stable_at`, set by the workflow's activity), the catalogue holds it once, and the ingest
 * journals drain.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10 } from '@krypton/dicom-codec';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub, HubApp } from './support/hub';
import { PrivatePostgres, PrivateRedis, PrivateTemporal } from './support/private-services';
import { waitFor } from './support/wait-for';

jest.setTimeout(600_000);

const PER_STUDY = 45;
const APPS: HubApp[] = ['api', 'worker', 'dicom-gateway', 'hl7-gateway'];

interface Study {
  readonly studyUid: string;
  readonly files: { path: string; uid: string }[];
}

let seed = 100;
function makeStudy(dir: string, count = PER_STUDY): Study {
  const out = join(dir, `study-${seed}`);
  const studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [out, String(count), '--seed', String(seed++), '--patient-id', `FAULT-${seed}`], { encoding: 'utf8' }).trim();
  const files = readdirSync(out)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => ({ path: join(out, f), uid: readPart10(readFileSync(join(out, f)), { untilPixelData: true }).dataset.SOPInstanceUID as string }));
  return { studyUid, files };
}

/** storescu in the background; `acked` grows with every Success answer, in sending order. */
class StoreStream {
  readonly acked: string[] = [];
  /** storescu's lines for the responses that were not Success. */
  readonly refused: string[] = [];
  private readonly proc: ChildProcess;
  readonly done: Promise<void>;

  constructor(hub: Hub, study: Study) {
    const byPath = new Map(study.files.map((f) => [f.path, f.uid]));
    this.proc = spawn('storescu', ['-v', ...hub.scu(), ...study.files.map((f) => f.path)], { env: { ...process.env, TCP_NODELAY: '1' } });
    let current: string | undefined;
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const sending = line.match(/Sending file: (.+)$/);
        if (sending) current = byPath.get(sending[1].trim());
        if (/Received Store Response \(Success\)/.test(line) && current) this.acked.push(current);
        else if (/Received Store Response \((.+)\)/.test(line) && current) this.refused.push(line.trim());
      }
    };
    this.proc.stdout?.on('data', onData);
    this.proc.stderr?.on('data', onData);
    this.done = new Promise((r) => this.proc.once('exit', () => r()));
  }
}

/** STOW-RS one instance per request (as a uploader would), in the background; `acked` holds the 200s. */
class StowStream {
  readonly acked: string[] = [];
  readonly done: Promise<void>;
  private stopped = false;

  constructor(hub: Hub, study: Study) {
    this.done = (async () => {
      for (const f of study.files) {
        if (this.stopped) return;
        const boundary = 'fault-boundary';
        const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), readFileSync(f.path), Buffer.from(`\r\n--${boundary}--\r\n`)]);
        try {
          const res = await hub.api('/dicomweb/studies', {
            method: 'POST',
            headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` },
            body,
          });
          if (res.status === 200) this.acked.push(f.uid);
        } catch {
          // The api is down: the uploader waits and tries again.
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }
}

describe('ingest survives faults (private PostgreSQL, Redis and Temporal)', () => {
  const pg = new PrivatePostgres();
  const redis = new PrivateRedis();
  const temporal = new PrivateTemporal('e2e-faults');
  let hub: Hub;

  beforeAll(async () => {
    await Promise.all([pg.init(), redis.start(), temporal.start()]);
    hub = new Hub({
      name: 'faults',
      redisDb: 0,
      databaseUrl: pg.databaseUrl('krypton_faults'),
      redisUrl: redis.url,
      temporalAddress: temporal.address,
      // Two gateway processes behind the port (cluster mode, a dead process's journal adopted by the other);
      // the default is one since the 2026-12-05 measurement (libs/config: dicom.processes).
      configuredGatewayProcesses: true,
      env: { DICOM_PROCESSES: '2' },
      // Re-drives and retries come quickly here; the defaults are 30 s.
      config: { ingest: { stableAfterSeconds: 1, indexConcurrency: 4, redriveAfterSeconds: 2, retryMaxSeconds: 1 } },
    });
    await hub.start();
  });

  afterAll(async () => {
    await hub?.stop();
    await Promise.all([pg.destroy(), redis.kill(), temporal.destroy()]);
  });

  const restart = async (apps: HubApp[]) => {
    for (const app of apps) if (!hub.procs.get(app) || hub.procs.get(app)?.exitCode !== null) hub.startApp(app);
    await hub.waitHealthy(120_000);
    // /health counts the killed gateway's heartbeat for up to 15 s: ask the port itself.
    await waitFor('the DICOM port', () => dcmtk('echoscu', hub.scu()).status === 0, 120_000, 300);
  };

  const kill = async (apps: HubApp[]) => {
    await Promise.all(apps.map((a) => hub.stopApp(a, 'SIGKILL')));
  };

  /** Every acknowledged instance is listed, its study stable, nothing twice, the journals empty. */
  const expectNothingLost = async (study: Study, acked: string[]) => {
    expect(acked.length).toBeGreaterThan(0);
    const listed = await waitFor(
      `QIDO-RS to list the ${acked.length} acknowledged instances of ${study.studyUid}`,
      async () => {
        const res = await hub.api(`/dicomweb/studies/${study.studyUid}/instances?limit=1000`);
        if (res.status !== 200) return false;
        const uids = ((await res.json()) as Record<string, { Value: string[] }>[]).map((r) => r['00080018'].Value[0]);
        return acked.every((u) => uids.includes(u)) && uids;
      },
      90_000,
      500,
    );
    expect(new Set(listed).size).toBe(listed.length);
    await waitFor(
      `study ${study.studyUid} handed to its lifecycle workflow`,
      async () => (await hub.sql('SELECT 1 FROM study WHERE study_uid = $1 AND stable_at IS NOT NULL', [study.studyUid])).length === 1,
      90_000,
      500,
    );
    const twice = await hub.sql('SELECT sop_instance_uid FROM instance GROUP BY 1 HAVING count(*) > 1');
    expect(twice).toEqual([]);
    await waitFor('the ingest journals to drain', () => readdirSync(join(hub.storageRoot, '.outbox')).length === 0, 60_000, 500);
  };

  const whenAcked = (s: { acked: string[] }, n: number, what: string) => waitFor(`${n} ${what} acknowledged`, () => s.acked.length >= n, 120_000, 20);

  it('SIGKILL of the DICOM gateway a third into a C-STORE stream loses no acknowledged instance', async () => {
    const study = makeStudy(hub.dir);
    const stream = new StoreStream(hub, study);
    await whenAcked(stream, PER_STUDY / 3, 'C-STOREs');
    await kill(['dicom-gateway']);
    await stream.done;
    expect(stream.acked.length).toBeLessThan(PER_STUDY);
    await restart(['dicom-gateway']);
    await expectNothingLost(study, stream.acked);
  });

  it.each([
    ['the worker', ['worker']],
    ['the api', ['api']],
    ['the whole hub', APPS],
  ] as [string, HubApp[]][])('SIGKILL of %s during a C-STORE stream and a STOW-RS upload loses nothing acknowledged', async (_what, apps) => {
    const stored = makeStudy(hub.dir);
    const stowed = makeStudy(hub.dir, 20);
    const store = new StoreStream(hub, stored);
    const stow = new StowStream(hub, stowed);
    await whenAcked(store, PER_STUDY / 3, 'C-STOREs');
    await whenAcked(stow, 4, 'STOW-RS parts');
    await kill(apps);
    stow.stop();
    await Promise.all([store.done, stow.done]);
    await restart(apps);
    await expectNothingLost(stored, store.acked);
    await expectNothingLost(stowed, stow.acked);
  });

  it('indexes everything acknowledged before PostgreSQL went down for longer than 10 index attempts, shows the backlog meanwhile, and refuses new objects as a transient failure until it is back', async () => {
    // The worker is held back so that the acknowledged objects are still unindexed when the
    // database goes: the index jobs then meet the outage, past where bounded retries gave up.
    await kill(['worker']);
    const study = makeStudy(hub.dir, 20);
    const stream = new StoreStream(hub, study);
    await stream.done;
    expect(stream.acked).toHaveLength(20);
    await pg.stop();
    try {
      hub.startApp('worker');
      const metrics = await waitFor(
        'the backlog in /metrics',
        async () => {
          const text = await (await fetch(`${hub.baseUrl}/metrics`)).text();
          const m = text.match(/^krypton_ingest_unindexed_objects (\d+)$/m);
          return m && Number(m[1]) >= 20 ? text : false;
        },
        30_000,
        500,
      );
      expect(metrics).toMatch(/krypton_ingest_unindexed_objects/);
      // A C-STORE during the outage cannot be decided on (libs/access reads the study's sites in
      // the catalogue): refused as a transient failure (0xA700), never acknowledged, so the
      // sender keeps its copy and sends it again once the database is back.
      const during = makeStudy(hub.dir, 3);
      const duringStream = new StoreStream(hub, during);
      await duringStream.done;
      expect(duringStream.acked).toEqual([]);
      // storescu stops at the first refusal of this kind.
      expect(duringStream.refused.length).toBeGreaterThan(0);
      for (const line of duringStream.refused) expect(line).toMatch(/Out of Resources|OutOfResources|A700/i);
      // Index jobs retry every second at most (retryMaxSeconds: 1): 15 s is past 10 attempts,
      // where BullMQ's bounded retries used to give up.
      await new Promise((r) => setTimeout(r, 15_000));
      await pg.start();
      await restart(APPS);
      await expectNothingLost(study, stream.acked);
      // Sent again, as the modality's queue does: stored, indexed and audited.
      const again = new StoreStream(hub, during);
      await again.done;
      expect(again.acked).toHaveLength(3);
      await expectNothingLost(during, again.acked);
      await waitFor('the C-STORE sent again in audit_event', async () => (await hub.sql(`SELECT 1 FROM audit_event WHERE studies @> ARRAY[$1]`, [during.studyUid])).length > 0);
    } finally {
      await pg.start().catch(() => undefined);
    }
  });

  it('indexes everything acknowledged across a Redis restart that lost every queued job', async () => {
    const study = makeStudy(hub.dir);
    const stream = new StoreStream(hub, study);
    await whenAcked(stream, PER_STUDY / 3, 'C-STOREs');
    await redis.kill();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    await stream.done;
    await restart(APPS);
    await expectNothingLost(study, stream.acked);
  });

  it('hands a study received while Temporal was down to its workflow once Temporal is back', async () => {
    await temporal.stop();
    const study = makeStudy(hub.dir, 20);
    const stream = new StoreStream(hub, study);
    await stream.done;
    expect(stream.acked).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await hub.sql('SELECT 1 FROM study WHERE study_uid = $1 AND stable_at IS NOT NULL', [study.studyUid])).toHaveLength(0);
    await temporal.start();
    // A worker whose Temporal worker stopped exits for its supervisor to restart it: the test is that supervisor.
    await restart(APPS);
    await expectNothingLost(study, stream.acked);
  });

  it('a duplicate under keep-first changes nothing in the catalogue; an image never rewrites its patient, the conflict is recorded', async () => {
    const study = makeStudy(hub.dir, 2);
    const first = new StoreStream(hub, study);
    await first.done;
    await expectNothingLost(study, first.acked);
    const patientOf = () => hub.sql('SELECT p.* FROM patient p JOIN study s ON s.patient_fk = p.id WHERE s.study_uid = $1', [study.studyUid]);
    const before = await patientOf();
    const catalogue = async () =>
      hub.sql('SELECT s.last_indexed_at, i.* FROM instance i JOIN series se ON se.id = i.series_fk JOIN study s ON s.id = se.study_fk WHERE s.study_uid = $1 ORDER BY i.id', [study.studyUid]);
    const rows = await catalogue();
    // The same SOP Instance UID with another patient name: kept first, so the catalogue stays as it was.
    const dup = join(hub.dir, 'duplicate.dcm');
    copyFileSync(study.files[0].path, dup);
    execFileSync('dcmodify', ['-nb', '-m', 'PatientName=OTHER^NAME', dup]);
    const again = new StoreStream(hub, { studyUid: study.studyUid, files: [{ path: dup, uid: study.files[0].uid }] });
    await again.done;
    expect(again.acked).toEqual([study.files[0].uid]);
    await waitFor('the journals to drain', () => readdirSync(join(hub.storageRoot, '.outbox')).length === 0, 30_000, 300);
    expect(await patientOf()).toEqual(before);
    expect(await catalogue()).toEqual(rows);
    // A new instance of the same patient ID saying another name: indexed, the patient unchanged, the conflict kept.
    const other = join(hub.dir, 'other-name.dcm');
    copyFileSync(study.files[1].path, other);
    const newUid = `2.25.${Date.now()}${process.pid}`;
    execFileSync('dcmodify', ['-nb', '-m', 'PatientName=OTHER^NAME', '-m', `SOPInstanceUID=${newUid}`, other]);
    const third = new StoreStream(hub, { studyUid: study.studyUid, files: [{ path: other, uid: newUid }] });
    await third.done;
    expect(third.acked).toEqual([newUid]);
    await expectNothingLost(study, third.acked);
    expect(await patientOf()).toEqual(before);
    const conflicts = await hub.sql<{ received: { name: string } }>('SELECT received FROM patient_demographics_conflict WHERE sop_instance_uid = $1', [newUid]);
    expect(conflicts.map((c) => c.received.name)).toEqual(['OTHER^NAME']);
  });
});
