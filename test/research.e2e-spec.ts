import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticPart10 } from '../libs/deid/src/testing/synthetic-part10';
import { dcmtk } from './support/dcmtk';
import { FORBIDDEN, seededObjects, SEEDS } from './support/deid-seeded-inputs';
import { ROOT, TEST_DATA_DIR } from './support/env';
import { recordHistory } from './support/histories';
import { Hub } from './support/hub';
import { OrthancPeer } from './support/orthanc';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

const RESEARCHER = { Authorization: 'Bearer demo-researcher-token', 'Content-Type': 'application/json' };
const COMMITTEE = { Authorization: 'Bearer demo-committee-token', 'Content-Type': 'application/json' };
/** Enough instances that the extraction is still running when the worker is killed. */
const EXTRA_CT = 300;

interface ProjectView {
  id: string;
  state: string;
  counts: { total: number; done: number; quarantined: number; failed: number };
  cohortCounts: { patients: number; studies: number; series: number; instances: number };
  audit: { action: string; actor: string | null }[];
  quarantineReasons: { reason: string; count: number }[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describe('research project on the real hub: submit, committee, extraction, delivery', () => {
  mkdirSync(TEST_DATA_DIR, { recursive: true });
  const outputDir = mkdtempSync(join(TEST_DATA_DIR, 'research-out-'));
  let hub: Hub;
  let pacs: OrthancPeer;
  const post = (path: string, headers: Record<string, string>, body: unknown) => hub.api(path, { method: 'POST', headers, body: JSON.stringify(body) });

  beforeAll(async () => {
    // Orthanc stands in for the research PACS that receives every delivery by C-STORE.
    pacs = new OrthancPeer(mkdtempSync(join(TEST_DATA_DIR, 'research-pacs-')), await freePort(), await freePort(), 'RESEARCHPACS');
    await pacs.start();
    hub = new Hub({
      name: 'research',
      redisDb: 13,
      aes: [{ aeTitle: 'RESEARCHPACS', site: 'chu-nord', host: '127.0.0.1', port: pacs.dicomPort, kind: 'pacs' }],
      config: { research: { outputDir, pacs: 'RESEARCHPACS' } },
    });
    await hub.start();
    const dir = join(hub.dir, 'inputs');
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(seededObjects())) writeFileSync(join(dir, name), bytes);
    // A second patient's CT series, large enough to interrupt.
    for (let i = 0; i < EXTRA_CT; i++) {
      writeFileSync(
        join(dir, `extra-${i}.dcm`),
        syntheticPart10({
          '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
          '00080018': { vr: 'UI', value: `1.2.826.0.1.3680043.88888.3.${i}` },
          '00080020': { vr: 'DA', value: '20230601' },
          '00080060': { vr: 'CS', value: 'CT' },
          '00100010': { vr: 'PN', value: 'OTHERSEED^PATIENT' },
          '00100020': { vr: 'LO', value: 'SEEDPID2' },
          '0020000D': { vr: 'UI', value: '1.2.826.0.1.3680043.88888.1' },
          '0020000E': { vr: 'UI', value: '1.2.826.0.1.3680043.88888.2' },
          '00280301': { vr: 'CS', value: 'NO' },
          '7FE00010': { vr: 'OW', value: Buffer.alloc(64, i & 0xff) },
        }),
      );
    }
    const sent = dcmtk('storescu', [...hub.scu('MODALITY1'), '-R', '+sd', dir], 180_000);
    expect(sent.status).toBe(0);
    await waitFor('all instances indexed', async () => Number((await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance'))[0].n) === 9 + EXTRA_CT, 120_000);
  }, 300_000);

  afterAll(async () => {
    await hub?.stop();
    await pacs?.stop();
  });

  let projectId: string;

  it('a researcher sees counts of a cohort, never identities, and reaches no clinical route', async () => {
    const res = await post('/research/cohort/count', RESEARCHER, { studyDateFrom: '20230101', studyDateTo: '20231231' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ patients: 2, studies: 2, series: 9, instances: 9 + EXTRA_CT });
    for (const seed of FORBIDDEN) expect(text).not.toContain(seed);
    const byModality = await (await post('/research/cohort/count', RESEARCHER, { modalities: ['SEG', 'RTPLAN'] })).json();
    expect(byModality).toMatchObject({ patients: 1, instances: 2 });
    const dicomweb = await hub.api('/dicomweb/studies', { headers: RESEARCHER });
    expect(dicomweb.status).toBe(403);
    const bad = await post('/research/cohort/count', RESEARCHER, { studyDateFrom: '2023-01-01' });
    expect(bad.status).toBe(400);
  });

  it('submission, a request for changes and the approval go through the committee (Temporal Updates)', async () => {
    const submitted = await post('/research/projects', RESEARCHER, {
      title: 'Chest CT and RT follow-up',
      protocolReference: 'PROTO-2023-17',
      ethicsApprovalReference: 'CPP-IDF-2023-042',
      cohort: { studyDateFrom: '20230101', modalities: ['CT'] },
      options: ['retain-longitudinal-modified-dates', 'retain-patient-characteristics', 'clean-structured-content', 'clean-descriptors'],
      // The ultrasound burns text in its top band: cleaned there instead of quarantined.
      pixelCleaning: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1', regions: [{ x: 0, y: 0, width: 4, height: 1 }] }],
    });
    expect(submitted.status).toBe(201);
    const project = (await submitted.json()) as ProjectView;
    projectId = project.id;
    expect(project.state).toBe('submitted');
    expect(project.cohortCounts.instances).toBe(2 + EXTRA_CT);

    const notCommittee = await post(`/research/projects/${projectId}/approve`, RESEARCHER, { note: 'self-approval' });
    expect(notCommittee.status).toBe(403);
    const changes = await post(`/research/projects/${projectId}/request-changes`, COMMITTEE, { note: 'include the RT, SEG and SR objects' });
    expect(changes.status).toBe(200);
    expect(((await changes.json()) as ProjectView).state).toBe('changes-requested');
    const tooEarly = await post(`/research/projects/${projectId}/approve`, COMMITTEE, { note: '' });
    expect(tooEarly.status).toBe(409);
    const resubmitted = await post(`/research/projects/${projectId}/resubmit`, RESEARCHER, { cohort: { studyDateFrom: '20230101', studyDateTo: '20231231' } });
    expect(resubmitted.status).toBe(200);
    const view = (await (await hub.api(`/research/projects/${projectId}`, { headers: RESEARCHER })).json()) as ProjectView;
    expect(view.cohortCounts.instances).toBe(9 + EXTRA_CT);
    const approved = await post(`/research/projects/${projectId}/approve`, COMMITTEE, { note: 'approved' });
    expect(approved.status).toBe(200);
  });

  it('extracts in batches with progress, survives a worker killed mid-extraction without duplicating output', async () => {
    const view = async () => (await (await hub.api(`/research/projects/${projectId}`, { headers: RESEARCHER })).json()) as ProjectView;
    await waitFor(
      'extraction under way',
      async () => {
        const v = await view();
        return v.state === 'extracting' && v.counts.done > 0;
      },
      120_000,
      50,
    );
    const before = await view();
    expect(before.counts.done).toBeLessThan(before.counts.total);
    await hub.stopApp('worker', 'SIGKILL');
    // What a kill between a file's write and its rename leaves: the kill above lands there only
    // sometimes, so the leftover is planted for the delivery to clear every time.
    const written = filesUnder(join(outputDir, projectId, 'files')).find((f) => f.endsWith('.dcm'))!;
    writeFileSync(`${written}.0badcafe.tmp`, 'partial');
    // And what a worker killed while it zipped a delivery leaves beside the project's files.
    writeFileSync(join(outputDir, projectId, 'delivery.zip.0badcafe.tmp'), 'partial');
    hub.startApp('worker');
    await waitFor('project completed', async () => (await view()).state === 'completed', 240_000, 500);
    const done = await view();
    expect(done.counts).toEqual({ total: 9 + EXTRA_CT, done: 8 + EXTRA_CT, quarantined: 1, failed: 0 });
    expect(done.quarantineReasons).toEqual([{ reason: expect.stringContaining('Secondary Capture'), count: 1 }]);
    const files = filesUnder(join(outputDir, projectId, 'files'));
    expect(files.filter((f) => f.endsWith('.dcm'))).toHaveLength(8 + EXTRA_CT);
    expect(files.filter((f) => !f.endsWith('.dcm'))).toEqual([]);
    expect(readdirSync(join(outputDir, projectId)).sort()).toEqual(['delivery.zip', 'files', 'manifest.csv']);
    const actions = done.audit.map((a) => a.action);
    for (const a of ['submitted', 'changes-requested', 'amended', 'resubmitted', 'approved', 'extraction-started', 'extraction-batch', 'extraction-finished', 'delivered'])
      expect(actions).toContain(a);
  }, 400_000);

  it('delivers a downloadable archive with a pseudonymous manifest; an independent scanner finds no seeded identity in it', async () => {
    const res = await hub.api(`/research/projects/${projectId}/archive`, { headers: RESEARCHER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const archive = Buffer.from(await res.arrayBuffer());
    // Asked before the scan: the scan takes longer than the API's keep-alive, and a reused idle socket can be closed under the request.
    const audit = ((await (await hub.api(`/research/projects/${projectId}`, { headers: COMMITTEE })).json()) as ProjectView).audit;
    expect(audit.map((a) => a.action)).toContain('archive-downloaded');
    // The research PACS received the same de-identified instances by C-STORE.
    const received = await pacs.instances();
    expect(received).toHaveLength(8 + EXTRA_CT);
    const tags = (await (await fetch(`${pacs.url}/instances/${received[0]}/simplified-tags`)).json()) as { PatientID: string; PatientIdentityRemoved: string };
    expect(tags.PatientIdentityRemoved).toBe('YES');
    expect(tags.PatientID).toMatch(/^P[A-Z2-9]{15}$/);
    const dir = join(hub.dir, 'delivery');
    mkdirSync(dir);
    writeFileSync(join(dir, 'delivery.zip'), archive);
    execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-e', join(dir, 'delivery.zip'), join(dir, 'unzipped')]);
    const manifest = readFileSync(join(dir, 'unzipped', 'manifest.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(manifest[0]).toBe('patient_pseudonym,study_instance_uid,series_instance_uid,sop_instance_uid,sop_class_uid,modality');
    expect(manifest).toHaveLength(1 + 8 + EXTRA_CT);
    expect(new Set(manifest.slice(1).map((l) => l.split(',')[3])).size).toBe(8 + EXTRA_CT);
    expect(new Set(manifest.slice(1).map((l) => l.split(',')[0])).size).toBe(2);
    const seeds = [...FORBIDDEN, 'OTHERSEED', 'SEEDPID2', '1.2.826.0.1.3680043.88888.'];
    const { stdout } = {
      stdout: execFileSync('/usr/bin/python3', [join(ROOT, 'test/support/deid-scanner.py'), join(dir, 'unzipped', 'files'), ...seeds], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
    };
    const report = JSON.parse(stdout);
    expect(report.files).toBe(8 + EXTRA_CT);
    expect(report.hits).toEqual([]);
    expect(report.rawHits).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(readFileSync(join(dir, 'unzipped', 'manifest.csv'), 'utf8')).not.toContain(SEEDS.patientId);
    await recordHistory(`research-project-${projectId}`, 'research-project-changes-approved-extracted', hub.namespace);
  }, 120_000);
});
