import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/env';
import { recordHistory } from './support/histories';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';
import { finishedWorkflow, postToOrthanc, storeIntoHub, syntheticCtStudy } from './support/site-pacs-studies';
import { COORDINATOR, RADIOLOGIST, REFERRER } from './support/demo-tokens';

jest.setTimeout(300_000);

interface Prior {
  studyInstanceUid: string;
  source: string;
  state: string;
  studyDate: string | null;
  modalities: string[];
  bodyParts: string[];
  relevance: string;
  rank: number;
  instances: number | null;
  lastError: string | null;
}

/**
 * Priors on the real stack: a CT chest request for a CHU-NORD patient; one prior already in the
 * hub's catalogue, others at the site PACS (a real Orthanc, queried by C-FIND and fetched by C-MOVE
 * into the hub's gateway). Relevance leaves out another body part, a study older than the window
 * and the same Patient ID under another issuer (another patient); the reading task shows the priors.
 */
describe('priors (Orthanc as the site PACS)', () => {
  let hub: Hub;
  let pacs: OrthancPeer;
  let seed = 300;

  /** A small synthetic CT study of `patientId`, rewritten with its date, body part and issuer. */
  function ctStudy(name: string, patientId: string, issuer: string, date: string, bodyPart: string, count = 2, studyUid?: string): { uid: string; files: string[] } {
    const set = { '(0010,0021)': issuer, '(0018,0015)': bodyPart, '(0008,0020)': date, '(0010,0010)': 'PRIOR^Paul' };
    return syntheticCtStudy(join(hub.dir, `${name}-${++seed}`), seed, patientId, set, count, studyUid);
  }
  const toPacs = (files: string[]) => postToOrthanc(pacs, files);
  const storescu = (files: string[]) => storeIntoHub(hub, files);
  /** A finished workflow's result, read from its history (Temporal CLI). */
  const workflowResult = async (workflowId: string) => (await finishedWorkflow(hub, workflowId, 90_000)).result;

  /** A request for PRI-1 at CHU-NORD, scheduled now; answers its id and the pre-assigned Study UID. */
  async function scheduledRequest(procedureCode: string): Promise<{ id: string; studyInstanceUid: string }> {
    const created = await call('/requests', REFERRER, 'POST', {
      patient: { identifiers: [{ value: 'PRI-1', issuer: 'CHU-NORD' }], familyName: 'PRIOR', givenName: 'Paul' },
      referrer: { name: 'Dr Jeanne MARTIN' },
      procedureCode,
      priority: 'urgent',
      targetSite: 'chu-nord',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitFor('intake mirrored', async () => ((await (await call(`/requests/${id}`, COORDINATOR)).json()) as { attention: string }).attention === 'to-schedule', 30_000, 200);
    const scheduled = await call(`/requests/${id}/schedule`, COORDINATOR, 'POST', { site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: new Date().toISOString() });
    expect(scheduled.status).toBe(200);
    return { id, studyInstanceUid: ((await scheduled.json()) as { studyInstanceUid: string }).studyInstanceUid };
  }

  async function call(path: string, headers: Record<string, string>, method = 'GET', body?: unknown): Promise<Response> {
    return fetch(`${hub.baseUrl}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  }

  beforeAll(async () => {
    const [dicomPort, httpPort] = await Promise.all([freePort(), freePort()]);
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    hub = new Hub({
      name: 'priors',
      redisDb: 12,
      aes: [{ name: 'NORD_PACS', aeTitle: 'NORDPACS', site: 'chu-nord', host: '127.0.0.1', port: dicomPort, kind: 'pacs' }],
      config: {
        pathway: {
          ...demo.pathway,
          // Short waits so the exam reaches reading in seconds (their rules are tested with time skipping).
          acquisition: { mppsGraceMinutes: 0.02, imagesGraceMinutes: 1 },
          dose: { waitMinutes: 0.05, pollMinutes: 0.02 },
          priors: { sources: ['NORD_PACS'], maxAgeYears: 5, sameBodyPart: true, maxPriors: 5 },
        },
      },
    });
    await hub.start();
    // The site PACS knows the hub as a C-MOVE destination.
    pacs = new OrthancPeer(join(hub.dir, 'pacs'), dicomPort, httpPort, 'NORDPACS', { DicomModalities: { krypton: ['KRYPTON', '127.0.0.1', hub.dicomPort] } });
    await pacs.start();
  });

  afterAll(async () => {
    await pacs?.stop();
    await hub?.stop();
  });

  it('finds the priors in the catalogue and at the site PACS, fetches the relevant ones and shows them on the reading task', async () => {
    const thisYear = new Date().getUTCFullYear();
    const local = ctStudy('catalogue-chest', 'PRI-1', 'CHU-NORD', `${thisYear - 1}0601`, 'CHEST');
    storescu(local.files);
    const remoteChest = ctStudy('pacs-chest', 'PRI-1', 'CHU-NORD', `${thisYear - 2}0301`, 'CHEST', 3);
    const remoteHead = ctStudy('pacs-head', 'PRI-1', 'CHU-NORD', `${thisYear - 1}0101`, 'HEAD');
    const tooOld = ctStudy('pacs-old', 'PRI-1', 'CHU-NORD', `${thisYear - 8}0101`, 'CHEST');
    const otherPatient = ctStudy('pacs-other', 'PRI-1', 'CLINIQUE-SUD', `${thisYear - 1}0301`, 'CHEST');
    await toPacs([...remoteChest.files, ...remoteHead.files, ...tooOld.files, ...otherPatient.files]);
    await waitFor('the catalogue prior indexed', async () => (await hub.sql(`SELECT 1 FROM study WHERE study_uid = $1`, [local.uid])).length === 1, 60_000, 250);

    const { id, studyInstanceUid } = await scheduledRequest('ZBQH001');

    // Scheduling started the search: the PACS's chest CT is fetched by C-MOVE and indexed.
    const priors = await waitFor(
      'both priors available',
      async () => {
        const list = (await (await call(`/requests/${id}/priors`, COORDINATOR)).json()) as Prior[];
        return list.length === 2 && list.every((p) => p.state === 'available') ? list : null;
      },
      120_000,
      500,
    );
    expect(priors.map((p) => [p.studyInstanceUid, p.source, p.rank, p.relevance, p.instances])).toEqual([
      [local.uid, 'catalogue', 1, 'same modality and body part', 2],
      [remoteChest.uid, 'NORD_PACS', 2, 'same modality and body part', 3],
    ]);
    expect(priors[1]).toMatchObject({ studyDate: `${thisYear - 2}-03-01`, modalities: ['CT'], bodyParts: ['CHEST'], lastError: null });
    // Fetched into the hub: the viewer opens it by its Study UID like any study.
    const qido = await hub.api(`/dicomweb/studies?StudyInstanceUID=${remoteChest.uid}`);
    expect(qido.status).toBe(200);
    // Nothing else came from the PACS: not the head, not the old study, not the other patient's.
    const held = await hub.sql<{ study_uid: string }>(`SELECT study_uid FROM study WHERE study_uid = ANY($1)`, [[remoteHead.uid, tooOld.uid, otherPatient.uid]]);
    expect(held).toEqual([]);

    // The exam's images arrive under the scheduled Study UID: searched again, nothing fetched twice.
    storescu(ctStudy('exam', 'PRI-1', 'CHU-NORD', `${thisYear}0101`, 'CHEST', 2, studyInstanceUid).files);
    const task = await waitFor(
      'reading task open with its priors',
      async () => {
        const res = await call(`/reading/tasks/${id}`, RADIOLOGIST);
        return res.status === 200 ? ((await res.json()) as { state: string; priors: Prior[] }) : null;
      },
      120_000,
      500,
    );
    expect(task.priors.map((p) => [p.studyInstanceUid, p.state])).toEqual([
      [local.uid, 'available'],
      [remoteChest.uid, 'available'],
    ]);
    const listed = (await (await call(`/reading/tasks/${id}/priors`, RADIOLOGIST)).json()) as Prior[];
    expect(listed.map((p) => p.studyInstanceUid)).toEqual([local.uid, remoteChest.uid]);
    // Searched twice (scheduled, then images), fetched once: the second search found the prior in the catalogue.
    expect(await workflowResult(`priors-${id}-scheduled`)).toMatchObject({ state: 'done', attached: 2, fetched: 1, failed: 0, sourceErrors: [] });
    expect(await workflowResult(`priors-${id}-study`)).toMatchObject({ state: 'done', attached: 2, fetched: 0, failed: 0, sourceErrors: [] });
    expect(task.priors.find((p) => p.studyInstanceUid === remoteChest.uid)?.source).toBe('NORD_PACS');
    await recordHistory(`priors-${id}-scheduled`, 'priors-fetched-from-site-pacs', hub.namespace);
    await recordHistory(`pathway-${id}`, 'exam-pathway-with-priors', hub.namespace);
  });

  it('goes on without a site PACS that does not answer, and says so', async () => {
    await pacs.stop();
    try {
      const { id } = await scheduledRequest('ACQK001');
      const search = await workflowResult(`priors-${id}-scheduled`);
      // A CT head: the catalogue's CT chest priors do not count, the PACS's CT head was never fetched.
      expect(search).toMatchObject({ state: 'done', attached: 0, fetched: 0, sourceErrors: [{ source: 'NORD_PACS', error: expect.stringMatching(/NORDPACS/) }] });
      expect((await (await call(`/requests/${id}/priors`, COORDINATOR)).json()) as Prior[]).toEqual([]);
    } finally {
      await pacs.start();
    }
  });
});
