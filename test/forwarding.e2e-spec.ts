import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10 } from '@krypton/dicom-codec';
import { CountingScp } from './support/counting-scp';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';
import { recordHistory } from './support/histories';

jest.setTimeout(240_000);

interface Progress {
  state: string;
  total: number;
  sent: number;
  failed: number;
  lastError: string | null;
  refused: { sopInstanceUid: string; status: number }[];
  workflow: { attempts: number } | null;
}

describe('durable forwarding (Temporal workflow, real destinations)', () => {
  let hub: Hub;
  let orthanc: OrthancPeer;
  let counting: CountingScp;
  const studies: { uid: string; sops: string[] }[] = [];

  async function generateAndStore(count: number, seed: number): Promise<{ uid: string; sops: string[] }> {
    const dir = join(hub.dir, `gen-${seed}`);
    const uid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', `FWD-${seed}`], { encoding: 'utf8' }).trim();
    const files = readdirSync(dir).map((f) => join(dir, f));
    expect(dcmtk('storescu', [...hub.scu(), ...files]).status).toBe(0);
    await waitFor('study indexed', async () => {
      const [row] = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance i JOIN series s ON s.id = i.series_fk JOIN study st ON st.id = s.study_fk WHERE st.study_uid = $1', [uid]);
      return Number(row.n) === count;
    });
    return { uid, sops: files.map((f) => readPart10(readFileSync(f), { untilPixelData: true }).dataset.SOPInstanceUID) };
  }

  async function send(studyUid: string, destination: string): Promise<string> {
    const res = await hub.api(`/studies/${studyUid}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function progress(id: string): Promise<Progress> {
    const res = await hub.api(`/forwards/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Progress;
  }

  beforeAll(async () => {
    const [dicomPort, httpPort, countingPort] = await Promise.all([freePort(), freePort(), freePort()]);
    hub = new Hub({
      name: 'forwarding',
      redisDb: 2,
      aes: [
        { name: 'ORTHANC', aeTitle: 'ORTHANC', site: 'chu-nord', host: '127.0.0.1', port: dicomPort, kind: 'pacs' },
        { name: 'COUNTER', aeTitle: 'COUNTER', site: 'clinique-sud', host: '127.0.0.1', port: countingPort, kind: 'pacs' },
      ],
      config: { forwarding: { batchSize: 4, retryInitialSeconds: 0.5, retryMaxSeconds: 2, giveUpAfterHours: 1 } },
    });
    await hub.start();
    orthanc = new OrthancPeer(join(hub.dir, 'orthanc'), dicomPort, httpPort);
    counting = new CountingScp(countingPort);
    studies.push(await generateAndStore(12, 11), await generateAndStore(10, 12));
  });

  afterAll(async () => {
    counting?.stop();
    await orthanc?.stop();
    await hub?.stop();
  });

  it('validates the request', async () => {
    const unknownDest = await hub.api(`/studies/${studies[0].uid}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: 'NOWHERE' }) });
    expect(unknownDest.status).toBe(422);
    expect(((await unknownDest.json()) as { message: string }).message).toMatch(/destination: unknown destination "NOWHERE"/);
    const unknownStudy = await hub.api('/studies/1.2.3.4.5/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: 'ORTHANC' }) });
    expect(unknownStudy.status).toBe(404);
    const badBody = await hub.api(`/studies/${studies[0].uid}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dest: 'ORTHANC' }) });
    expect(badBody.status).toBe(400);
  });

  it('waits while Orthanc is down, survives a worker restart, and delivers every instance once it is up', async () => {
    const id = await send(studies[0].uid, 'ORTHANC');
    const waiting = await waitFor('waiting-for-destination', async () => {
      const p = await progress(id);
      return p.state === 'waiting-for-destination' && (p.workflow?.attempts ?? 0) >= 2 ? p : null;
    });
    expect(waiting.lastError).toMatch(/ORTHANC/);
    expect(waiting.sent).toBe(0);

    await hub.stopApp('worker', 'SIGKILL');
    hub.startApp('worker');
    await orthanc.start();

    const done = await waitFor(
      'forwarding completed',
      async () => {
        const p = await progress(id);
        return p.state === 'completed' ? p : null;
      },
      90_000,
    );
    expect(done).toMatchObject({ total: 12, sent: 12, failed: 0 });
    expect((await orthanc.sopInstanceUids()).sort()).toEqual([...studies[0].sops].sort());
    await recordHistory(id, 'forward-study-destination-down-then-up', hub.namespace);
  });

  it('never sends an instance twice after success when the destination hangs up mid-batch, and reports permanent refusals', async () => {
    counting.start();
    const refused = studies[1].sops[7];
    counting.behaviour.refuse.set(refused, 0xa900);
    counting.behaviour.dropAtCount = 3; // the third object of the first association is never answered
    const id = await send(studies[1].uid, 'COUNTER');
    const done = await waitFor(
      'forwarding finished',
      async () => {
        const p = await progress(id);
        return p.state.startsWith('completed') ? p : null;
      },
      90_000,
    );
    expect(done.state).toBe('completed-with-failures');
    expect(done).toMatchObject({ total: 10, sent: 9, failed: 1 });
    expect(done.refused).toEqual([expect.objectContaining({ sopInstanceUid: refused, status: 0xa900 })]);
    // Each instance the destination accepted arrived exactly once.
    expect([...counting.received.keys()].sort()).toEqual(studies[1].sops.filter((s) => s !== refused).sort());
    expect([...counting.received.values()].every((n) => n === 1)).toBe(true);
    await recordHistory(id, 'forward-study-refusal-and-hang-up', hub.namespace);
  });
});
