/**
 * A protocol's actions besides routing (issue #11), on the real stack: its fetchPriors starts the
 * exam's priors search (C-FIND and C-MOVE from a real Orthanc as the site PACS) as the study-arrival
 * path does; its shares with a site and a reading pool are made through libs/sharing (grant, audit);
 * and a patient's opposition to sharing is honoured by each — the route is recorded as skipped with
 * the reason on the study's forwards, no prior is fetched, no share is made — while break-the-glass
 * still opens the exam.
 *
 * The pathway's own prior searches are off here (`pathway.priors.enabled: false`), so a prior that
 * arrives can only have been asked for by the protocol.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sha256Hex } from '@krypton/auth';
import { ROOT, TEST_TEMPORAL_ADDRESS } from './support/env';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { recordHistory } from './support/histories';
import { waitFor } from './support/wait-for';
import { finishedWorkflow, postToOrthanc, storeIntoHub, syntheticCtStudy } from './support/site-pacs-studies';
import { ADMIN, bearer, COORDINATOR, PHYSICIST, REFERRER } from './support/demo-tokens';

jest.setTimeout(300_000);

const SUD_PHYSICIST = bearer('e2e-sud-physicist-token');
const POOL_READER = bearer('e2e-pool-reader-token');

const PROTOCOL = `id: exchange
name: Exchange actions (test)
rules:
  - name: CT of CHU Nord to the region, shared, with its priors
    match: { sourceAes: [MODALITY1], modalities: [CT] }
    actions:
      route: [{ destination: REGIONAL }]
      share: [{ site: clinique-sud }, { pool: regional-teleradiology, rights: download }]
      fetchPriors: true
`;

interface Prior {
  studyInstanceUid: string;
  source: string;
  state: string;
}

describe('protocol actions: fetchPriors, shares, and the patient opposition', () => {
  let hub: Hub;
  let pacs: OrthancPeer;
  let seed = 700;
  const thisYear = new Date().getUTCFullYear();

  /** A small synthetic CT study of `patientId` at CHU-NORD, rewritten with its date and body part. */
  function ctStudy(name: string, patientId: string, date: string, count = 2, studyUid?: string): { uid: string; files: string[] } {
    const set = { '(0010,0021)': 'CHU-NORD', '(0018,0015)': 'CHEST', '(0008,0020)': date };
    return syntheticCtStudy(join(hub.dir, `${name}-${++seed}`), seed, patientId, set, count, studyUid);
  }
  const toPacs = (files: string[]) => postToOrthanc(pacs, files);
  const storescu = (files: string[]) => storeIntoHub(hub, files);

  async function call(path: string, headers: Record<string, string>, method = 'GET', body?: unknown): Promise<Response> {
    return fetch(`${hub.baseUrl}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  }

  /** What the audit trail holds of a study under the protocol's name. */
  async function audit(studyUid: string): Promise<{ action: string; outcome: string; reason: string }[]> {
    const res = await call(`/audit?studyInstanceUid=${studyUid}&user=${encodeURIComponent('protocol:exchange@1')}`, ADMIN);
    expect(res.status).toBe(200);
    return (await res.json()) as { action: string; outcome: string; reason: string }[];
  }

  /** Whether Temporal knows a workflow by this id (any state). */
  function exists(workflowId: string): boolean {
    try {
      execFileSync('temporal', ['workflow', 'describe', '--address', TEST_TEMPORAL_ADDRESS, '--namespace', hub.namespace, '-w', workflowId], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  /** The history of a workflow (Temporal CLI): its parent and its result once finished. */
  const finished = (workflowId: string) => finishedWorkflow(hub, workflowId, 120_000);

  /** A CT chest request for `patientId` at CHU-NORD, scheduled now on MODALITY1; its id and pre-assigned Study UID. */
  async function scheduledRequest(patientId: string): Promise<{ id: string; studyInstanceUid: string }> {
    const created = await call('/requests', REFERRER, 'POST', {
      patient: { identifiers: [{ value: patientId, issuer: 'CHU-NORD' }], familyName: 'PRIOR', givenName: 'Paul' },
      referrer: { name: 'Dr Jeanne MARTIN' },
      procedureCode: 'ZBQH001',
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

  /** The exam's priors once one has been fetched and is available (waits up to two minutes). */
  function availablePrior(requestId: string): Promise<Prior[]> {
    return waitFor(
      'the prior fetched and available',
      async () => {
        const list = (await (await call(`/requests/${requestId}/priors`, COORDINATOR)).json()) as Prior[];
        return list.length === 1 && list[0].state === 'available' ? list : null;
      },
      120_000,
      500,
    );
  }

  beforeAll(async () => {
    const [dicomPort, httpPort, nobody] = await Promise.all([freePort(), freePort(), freePort()]);
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    hub = new Hub({
      name: 'protocol-actions',
      redisDb: 9,
      aes: [
        { name: 'NORD_PACS', aeTitle: 'NORDPACS', site: 'chu-nord', host: '127.0.0.1', port: dicomPort, kind: 'pacs' },
        // The regional archive at another site; nothing listens there: a copy that leaves waits for it.
        { name: 'REGIONAL', aeTitle: 'REGIONAL', site: 'region', host: '127.0.0.1', port: nobody, kind: 'pacs' },
      ],
      config: {
        users: [
          ...demo.users,
          { name: 'e2e-sud-physicist', roles: ['physicist'], site: 'clinique-sud', tokenSha256: sha256Hex('e2e-sud-physicist-token') },
          { name: 'e2e-pool-reader', roles: ['radiologist'], pools: ['regional-teleradiology'], tokenSha256: sha256Hex('e2e-pool-reader-token') },
        ],
        pathway: {
          ...demo.pathway,
          priors: { enabled: false, sources: ['NORD_PACS'], maxAgeYears: 5, sameBodyPart: true, maxPriors: 5 },
        },
        forwarding: { retryInitialSeconds: 5, retryMaxSeconds: 30, giveUpAfterHours: 1 },
      },
    });
    await hub.prepare();
    mkdirSync(join(hub.dir, 'protocols'), { recursive: true });
    writeFileSync(join(hub.dir, 'protocols', 'exchange.yaml'), PROTOCOL);
    for (const app of ['api', 'worker', 'dicom-gateway', 'hl7-gateway'] as const) hub.startApp(app);
    await hub.waitHealthy();
    pacs = new OrthancPeer(join(hub.dir, 'pacs'), dicomPort, httpPort, 'NORDPACS', { DicomModalities: { krypton: ['KRYPTON', '127.0.0.1', hub.dicomPort] } });
    await pacs.start();
  });

  afterAll(async () => {
    await pacs?.stop();
    await hub?.stop();
  });

  it("fetchPriors: the study's arrival runs the priors search for its exam, which fetches the prior held at the site PACS and attaches it", async () => {
    const prior = ctStudy('pacs-chest', 'ACT-1', `${thisYear - 2}0301`, 3);
    await toPacs(prior.files);
    const { id, studyInstanceUid } = await scheduledRequest('ACT-1');

    storescu(ctStudy('exam', 'ACT-1', `${thisYear}0101`, 2, studyInstanceUid).files);
    expect(await availablePrior(id)).toEqual([expect.objectContaining({ studyInstanceUid: prior.uid, source: 'NORD_PACS', state: 'available' })]);
    // Started by the study's lifecycle (the protocol), under the id of the study-arrival search.
    const search = await finished(`priors-${id}-study`);
    expect(search.parent).toBe(`study-${studyInstanceUid}`);
    expect(search.result).toMatchObject({ state: 'done', attached: 1, fetched: 1, failed: 0 });
    expect(await hub.sql(`SELECT 1 FROM study WHERE study_uid = $1`, [prior.uid])).toHaveLength(1);
    // The pathway itself searched nothing (priors off): scheduling started no search.
    expect(exists(`priors-${id}-scheduled`)).toBe(false);
    const decisions = (await (await hub.api(`/studies/${studyInstanceUid}/routing`)).json()) as { fetchPriors: boolean }[];
    expect(decisions).toEqual([expect.objectContaining({ protocolId: 'exchange', fetchPriors: true, destinations: ['REGIONAL'] })]);

    await recordHistory(`study-${studyInstanceUid}`, 'study-lifecycle-protocol-actions', hub.namespace);
    await recordHistory(`pathway-${id}`, 'exam-pathway-priors-off', hub.namespace);

    // Not opposed: the copy to the other site is on its way (waiting for the archive, which is down).
    const forwards = (await (await hub.api(`/studies/${studyInstanceUid}/forwards`)).json()) as { state: string }[];
    expect(forwards.map((f) => f.state)).not.toContain('skipped');
  });

  it('fetchPriors for a study that arrived without its exam: the search starts when a coordinator attaches the study to the exam', async () => {
    const prior = ctStudy('pacs-chest-late', 'ACT-4', `${thisYear - 3}0601`, 2);
    await toPacs(prior.files);
    const { id } = await scheduledRequest('ACT-4');
    // The modality did not use the worklist: the study has a Study UID of its own and matches no request.
    const exam = ctStudy('exam-unmatched', 'ACT-4', `${thisYear}0102`, 2);
    storescu(exam.files);
    await waitFor(
      'the study listed as unmatched',
      async () => ((await (await call('/acquisition/unmatched', COORDINATOR)).json()) as { studies: { studyUid: string }[] }).studies.some((u) => u.studyUid === exam.uid),
      120_000,
      500,
    );
    const decided = await waitFor(
      'routing decided',
      async () => {
        const rows = (await (await hub.api(`/studies/${exam.uid}/routing`)).json()) as { fetchPriors: boolean }[];
        return rows.length ? rows : null;
      },
      60_000,
      300,
    );
    expect(decided).toEqual([expect.objectContaining({ protocolId: 'exchange', fetchPriors: true })]);
    // No exam to attach priors to yet: nothing searched.
    expect(exists(`priors-${id}-study`)).toBe(false);

    const attached = await call(`/acquisition/unmatched-studies/${exam.uid}/attach`, COORDINATOR, 'POST', { requestId: id });
    expect(attached.status).toBe(202);
    expect(await availablePrior(id)).toEqual([expect.objectContaining({ studyInstanceUid: prior.uid, source: 'NORD_PACS', state: 'available' })]);
    const search = await finished(`priors-${id}-study`);
    expect(search.result).toMatchObject({ state: 'done', attached: 1, fetched: 1, failed: 0 });
  });

  it('shares with a site and a reading pool are made through sharing: grants in force, audited under the protocol', async () => {
    const exam = ctStudy('shared', 'ACT-2', `${thisYear}0102`);
    storescu(exam.files);
    const shares = await waitFor(
      'the two protocol shares',
      async () => {
        const list = (await (await call(`/shares?studyInstanceUid=${exam.uid}`, ADMIN)).json()) as { to: { kind: string; value: string }; rights: string; createdBy: string }[];
        return list.length === 2 ? list : null;
      },
      90_000,
      500,
    );
    expect(shares.map((s) => [s.to.kind, s.to.value, s.rights, s.createdBy]).sort()).toEqual([
      ['pool', 'regional-teleradiology', 'download', 'protocol:exchange@1'],
      ['site', 'clinique-sud', 'view', 'protocol:exchange@1'],
    ]);
    // A physicist of Clinique du Sud sees a CHU Nord study through the site share; a pool radiologist through the pool share.
    expect((await call(`/dicomweb/studies/${exam.uid}/metadata`, SUD_PHYSICIST)).status).toBe(200);
    expect((await call(`/dicomweb/studies/${exam.uid}/metadata`, POOL_READER)).status).toBe(200);
    const qido = (await (await call(`/dicomweb/studies?StudyInstanceUID=${exam.uid}`, POOL_READER)).json()) as unknown[];
    expect(qido).toHaveLength(1);
    const made = await audit(exam.uid);
    expect(made.map((a) => [a.action, a.outcome, a.reason]).sort()).toEqual([
      ['write', 'allowed', expect.stringMatching(/^share with pool regional-teleradiology \(download\)/)],
      ['write', 'allowed', expect.stringMatching(/^share with site clinique-sud \(view\)/)],
    ]);
  });

  describe("a patient's opposition to sharing", () => {
    let opposed: { id: string; studyInstanceUid: string };
    let prior: { uid: string };

    beforeAll(async () => {
      expect((await call(`/patients/${encodeURIComponent('CHU-NORD|ACT-3')}/opposition`, ADMIN, 'PUT', { opposed: true, reason: 'courrier du patient' })).status).toBe(200);
      const { uid, files } = ctStudy('pacs-opposed', 'ACT-3', `${thisYear - 1}0301`);
      prior = { uid };
      await toPacs(files);
      opposed = await scheduledRequest('ACT-3');
      storescu(ctStudy('exam-opposed', 'ACT-3', `${thisYear}0103`, 2, opposed.studyInstanceUid).files);
    });

    it('a protocol route does not send the study to another site: the routing is skipped with the reason, on the study’s forwards', async () => {
      const forwards = await waitFor(
        'the withheld routing on the forwards',
        async () => {
          const list = (await (await hub.api(`/studies/${opposed.studyInstanceUid}/forwards`)).json()) as { state: string }[];
          return list.length ? list : null;
        },
        90_000,
        500,
      );
      expect(forwards).toEqual([
        expect.objectContaining({
          destination: 'REGIONAL',
          state: 'skipped',
          sent: 0,
          lastError: 'the patient objects to sharing: no copy routed to another site',
          origin: { protocolId: 'exchange', version: 1, rule: 'CT of CHU Nord to the region, shared, with its priors' },
        }),
      ]);
      // No routing workflow was started for it.
      expect(exists(`route-exchange-REGIONAL-${opposed.studyInstanceUid}`)).toBe(false);
    });

    it('no prior is fetched from the site PACS, and the search says why', async () => {
      const search = await finished(`priors-${opposed.id}-study`);
      expect(search.result).toMatchObject({ state: 'done', attached: 0, fetched: 0, withheld: 'the patient objects to sharing: no prior fetched from another site' });
      expect(await hub.sql(`SELECT 1 FROM study WHERE study_uid = $1`, [prior.uid])).toEqual([]);
      expect((await (await call(`/requests/${opposed.id}/priors`, COORDINATOR)).json()) as Prior[]).toEqual([]);
    });

    it("no share is made; the other site's professional does not see the exam; break-the-glass still opens it", async () => {
      // The refusal is the decision point's, audited under the protocol like a person's refused share.
      const denied = await waitFor('the refused shares audited', async () => {
        const rows = await audit(opposed.studyInstanceUid);
        return rows.length === 2 ? rows : null;
      });
      expect(denied.map((a) => [a.action, a.outcome, a.reason])).toEqual([
        ['write', 'denied', 'the patient objects to sharing: no share of their exams'],
        ['write', 'denied', 'the patient objects to sharing: no share of their exams'],
      ]);
      expect((await (await call(`/shares?studyInstanceUid=${opposed.studyInstanceUid}`, ADMIN)).json()) as unknown[]).toEqual([]);
      expect((await call(`/dicomweb/studies/${opposed.studyInstanceUid}/metadata`, SUD_PHYSICIST)).status).toBe(404);
      expect((await call(`/dicomweb/studies/${opposed.studyInstanceUid}/metadata`, POOL_READER)).status).toBe(404);
      // The CHU Nord physicist's own site: not a disclosure. Break-the-glass from another site passes the opposition.
      expect((await call('/access/emergency', SUD_PHYSICIST, 'POST', { studyInstanceUid: opposed.studyInstanceUid, reason: 'e2e: urgence vitale' })).status).toBe(201);
      expect((await call(`/dicomweb/studies/${opposed.studyInstanceUid}/metadata`, SUD_PHYSICIST)).status).toBe(200);
      expect((await call(`/dicomweb/studies/${opposed.studyInstanceUid}/metadata`, PHYSICIST)).status).toBe(200);
    });
  });
});
