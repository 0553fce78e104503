import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sha256Hex } from '@krypton/auth';
import { dcmtk } from './support/dcmtk';
import { ROOT, SHARED_DATA } from './support/env';
import { recordHistory } from './support/histories';
import { Hub } from './support/hub';
import { mllpSend } from './support/mllp';
import { MllpListener } from './support/mllp-listener';
import { mppsCompleted, mppsCreate, mppsInProgress, mppsSet } from './support/mpps-scu';
import { waitFor } from './support/wait-for';
import { bearer, COORDINATOR, PATIENT, RADIOLOGIST, REFERRER } from './support/demo-tokens';

jest.setTimeout(240_000);

const SECOND_RADIOLOGIST = bearer('second-radiologist-token');
const JSON_BODY = { 'content-type': 'application/json' };

// The demo referrer's RPPS and the demo patient's INS (config/krypton.yaml): the exam is shared with them once reported.
const REFERRER_RPPS = '10000000001';
const PATIENT_INS = '180017512345678';

interface RequestBody {
  id: string;
  state: string;
  workflowId: string;
  placerSystem: string | null;
  accessionNumber: string | null;
  studyInstanceUid: string | null;
  acquiredStudyUid: string | null;
  attention: string | null;
  reading: { pool: string; dueAt: string; slaBreached: boolean } | null;
}

/**
 * One exam's whole pathway on the real stack: an order by HL7 (Debian's mllp_send), scheduling by
 * REST, the worklist seen by dcmtk findscu -W, MPPS from a dcmjs-dimse SCU, the images and the RDSR
 * sent by dcmtk storescu, claim and signature by radiologists, the ORU received by a real MLLP
 * listener (python3-hl7), the pathway closed; then what matched no request, resolved by a coordinator.
 */
describe('patient pathway end to end (HL7, MWL, MPPS, storescu, reading, report, ORU)', () => {
  let hub: Hub;
  let listener: MllpListener;
  let work = '';

  async function call(path: string, headers: Record<string, string>, method = 'GET', body?: unknown): Promise<Response> {
    return hub.api(path, { method, headers: { ...JSON_BODY, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  async function request(id: string): Promise<RequestBody> {
    return (await (await hub.api(`/requests/${id}`)).json()) as RequestBody;
  }

  const inState = (id: string, state: string, timeoutMs = 60_000) =>
    waitFor(
      `request ${id} in state ${state} (logs in ${hub.dir})`,
      async () => {
        const r = await request(id);
        return r.state === state ? r : null;
      },
      timeoutMs,
      250,
    );

  /** Copies of shared files rewritten into the exam's study (new series and instance UIDs), as a modality would produce them. */
  function examFiles(name: string, study: { studyUid?: string; accession?: string; patientId: string; patientName: string }, sources: string[], erase: string[] = []): string[] {
    const dir = mkdtempSync(join(work, `${name}-`));
    return sources.map((src, i) => {
      const file = join(dir, `${i}.dcm`);
      copyFileSync(join(SHARED_DATA, src), file);
      const args = ['-nb', '-gse', '-gin', '-m', `(0010,0020)=${study.patientId}`, '-m', `(0010,0010)=${study.patientName}`, '-m', `(0008,0050)=${study.accession ?? ''}`];
      args.push(...(study.studyUid ? ['-m', `(0020,000d)=${study.studyUid}`] : ['-gst']), ...erase.flatMap((t) => ['-ea', t]));
      const r = dcmtk('dcmodify', [...args, file]);
      expect(r.status).toBe(0);
      return file;
    });
  }

  function storescu(files: string[], callingAe = 'MODALITY1'): void {
    const r = dcmtk('storescu', [...hub.scu(callingAe), ...files]);
    expect(r.stderr).not.toMatch(/^E:/m);
    expect(r.status).toBe(0);
  }

  beforeAll(async () => {
    listener = await MllpListener.start();
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    hub = new Hub({
      name: 'pathway',
      redisDb: 11,
      config: {
        // Short waits so the suite runs in seconds; their rules are tested with time skipping.
        pathway: {
          acquisition: { mppsGraceMinutes: 0.05, imagesGraceMinutes: 1 },
          dose: { waitMinutes: 0.2, pollMinutes: 0.05 },
          reading: demo.pathway.reading,
          results: { destinations: [{ placerSystem: 'RIS@E2E', host: '127.0.0.1', port: listener.port }], retryInitialSeconds: 1 },
        },
        users: [...demo.users, { name: 'second-radiologist', roles: ['radiologist'], pools: ['chu-nord-radiologists'], tokenSha256: sha256Hex('second-radiologist-token') }],
      },
    });
    await hub.start();
    work = mkdtempSync(join(hub.dir, 'pathway-'));
  });

  afterAll(async () => {
    await hub?.stop();
    await listener?.stop();
  });

  let exam: RequestBody;

  it('an HL7 order is scheduled by a coordinator and shown by the Modality Worklist to its modality', async () => {
    const orm = [
      'MSH|^~\\&|RIS|E2E|KRYPTON|REGION|20261201080000||ORM^O01|PW-MSG-1|P|2.5|||||FRA|UNICODE UTF-8',
      `PID|1||PW-IPP-1^^^CHU-NORD^PI~${PATIENT_INS}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||DURAND^Lucie||19800101|F`,
      'ORC|NW|PW-ORDER-1',
      `OBR|1|PW-ORDER-1||ZBQK002^Radiographie du thorax^CCAM|||||||||Douleur thoracique|||${REFERRER_RPPS}^MARTIN^Jeanne`,
    ].join('\n');
    const file = join(work, 'orm.hl7');
    writeFileSync(file, orm + '\n');
    expect(await mllpSend(hub.hl7Port, file)).toMatch(/MSA\|AA\|PW-MSG-1/);

    // The intake activity mirrors the pathway's first step moments after the ACK.
    const found = await waitFor(
      'intake mirrored',
      async () => {
        const [r] = (await (await hub.api('/requests?placerOrderNumber=PW-ORDER-1')).json()) as RequestBody[];
        return r?.attention ? r : null;
      },
      30_000,
      200,
    );
    expect(found).toMatchObject({ state: 'received', placerSystem: 'RIS@E2E', attention: 'to-schedule' });
    const waiting = (await (await call('/pathways?waitingOnOperator=true', COORDINATOR)).json()) as RequestBody[];
    expect(waiting.map((r) => r.id)).toContain(found.id);

    const scheduled = await call(`/requests/${found.id}/schedule`, COORDINATOR, 'POST', { site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' });
    expect(scheduled.status).toBe(200);
    exam = await request(found.id);
    expect(exam).toMatchObject({ state: 'scheduled', attention: null, accessionNumber: expect.stringMatching(/^KR/), studyInstanceUid: expect.stringMatching(/^2\.25\./) });

    const mwl = dcmtk('findscu', [
      '-v',
      '-W',
      '-k',
      'AccessionNumber',
      '-k',
      'StudyInstanceUID',
      '-k',
      'PatientName',
      '-k',
      'ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MODALITY1',
      ...hub.scu(),
    ]);
    expect(mwl.status).toBe(0);
    expect(mwl.stdout + mwl.stderr).toContain(exam.accessionNumber!);
    expect(mwl.stdout + mwl.stderr).toContain(exam.studyInstanceUid!);
  });

  it("MPPS, images and the dose report move the pathway through acquisition and dose to a reading task in the site's pool", async () => {
    const mppsUid = `2.25.${BigInt('0x' + exam.id.replace(/-/g, '')).toString()}`;
    const created = await mppsCreate(
      hub.dicomPort,
      mppsUid,
      mppsInProgress({ accessionNumber: exam.accessionNumber!, studyInstanceUid: exam.studyInstanceUid! }, { name: 'DURAND^Lucie', id: 'PW-IPP-1' }),
    );
    expect(created.getStatus()).toBe(0);
    await inState(exam.id, 'acquiring');

    storescu(
      examFiles('exam', { studyUid: exam.studyInstanceUid!, accession: exam.accessionNumber!, patientId: 'PW-IPP-1', patientName: 'DURAND^Lucie' }, [
        'images/DX-Im-Carestream_DRX.dcm',
        'rdsr/CT-RDSR-GEPixelMed.dcm',
      ]),
    );
    expect((await mppsSet(hub.dicomPort, mppsUid, mppsCompleted())).getStatus()).toBe(0);

    const reading = await inState(exam.id, 'reading');
    expect(reading).toMatchObject({ acquiredStudyUid: exam.studyInstanceUid, reading: { pool: 'chu-nord-radiologists', slaBreached: false } });
    // The dose report arrived with the images: no missing-dose finding, no images-without-MPPS.
    expect(await hub.sql('SELECT kind FROM pathway_finding WHERE request_id = $1', [exam.id])).toEqual([]);
    expect(await hub.sql('SELECT 1 FROM worklist_item WHERE request_id = $1', [exam.id])).toEqual([]);

    const tasks = (await (await call('/reading/tasks', RADIOLOGIST)).json()) as { requestId: string; state: string; accessionNumber: string }[];
    expect(tasks).toEqual(expect.arrayContaining([expect.objectContaining({ requestId: exam.id, state: 'open', accessionNumber: exam.accessionNumber })]));
  });

  it('one radiologist at a time: claim is exclusive, release gives it back, the holder drafts and signs', async () => {
    expect((await call(`/reading/tasks/${exam.id}/claim`, SECOND_RADIOLOGIST, 'POST')).status).toBe(200);
    const taken = await call(`/reading/tasks/${exam.id}/claim`, RADIOLOGIST, 'POST');
    expect(taken.status).toBe(409);
    expect(JSON.stringify(await taken.json())).toMatch(/claimed by second-radiologist/);
    expect((await call(`/reading/tasks/${exam.id}/draft`, RADIOLOGIST, 'PUT', { conclusion: 'not mine' })).status).toBe(409);
    expect((await call(`/reading/tasks/${exam.id}/release`, SECOND_RADIOLOGIST, 'POST')).status).toBe(200);
    expect((await call(`/reading/tasks/${exam.id}/claim`, RADIOLOGIST, 'POST')).status).toBe(200);

    const draft = await call(`/reading/tasks/${exam.id}/draft`, RADIOLOGIST, 'PUT', { findings: "Pas de foyer | pas d'épanchement ^ pleural.", conclusion: 'Radiographie thoracique normale.' });
    expect(draft.status).toBe(200);
    const signed = await call(`/reading/tasks/${exam.id}/sign`, RADIOLOGIST, 'POST', {});
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ state: 'reported', report: { signedBy: 'demo-radiologist', version: 1 } });
  });

  it("the ORU reaches the referrer's system (real MLLP listener), the pathway closes, and the report is shared", async () => {
    const oru = await waitFor(
      'ORU received by the listener',
      () => listener.received().find((m) => m.messageType.startsWith('ORU^R01') && m.fillerOrder.startsWith(exam.accessionNumber!)),
      60_000,
      250,
    );
    expect(oru.placerOrder).toMatch(/^PW-ORDER-1/);
    expect(oru.obx.map((o) => o.value).join('\n')).toContain("Pas de foyer | pas d'épanchement ^ pleural.");
    expect(oru.obx.some((o) => o.value === exam.studyInstanceUid)).toBe(true);
    const closed = await inState(exam.id, 'closed');
    expect(closed.attention).toBeNull();

    const steps = ((await (await hub.api(`/pathways/${exam.id}/timeline`)).json()) as { events: { step: string }[] }).events.map((e) => e.step);
    for (const step of [
      'intake',
      'scheduled',
      'mpps-in-progress',
      'images-arrived',
      'acquisition-complete',
      'reading-opened',
      'reading-claimed',
      'reading-released',
      'report-signed',
      'results-delivered',
      'closed',
    ]) {
      expect(steps).toContain(step);
    }
    expect(steps.indexOf('closed')).toBe(steps.length - 1);

    const asReferrer = await call(`/requests/${exam.id}/report`, REFERRER);
    expect(asReferrer.status).toBe(200);
    expect(await asReferrer.json()).toMatchObject({ conclusion: 'Radiographie thoracique normale.', radiologist: { name: 'demo-radiologist' } });
    const pdf = await call(`/requests/${exam.id}/report/pdf`, PATIENT);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const shared = (await (await call('/shared/exams', REFERRER)).json()) as { id: string }[];
    expect(shared.map((s) => s.id)).toContain(exam.id);

    // The report is in the study, as a DICOM object any viewer or PACS gets with the images.
    const series = (await (await hub.api(`/dicomweb/studies/${exam.studyInstanceUid}/series`, { headers: { Accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: unknown[] }>[];
    expect(series.map((s) => s['00080060']?.Value?.[0])).toEqual(expect.arrayContaining(['DOC', 'CR', 'SR']));
    await recordHistory(exam.workflowId, 'exam-pathway-hl7', hub.namespace);
  });

  it('a study matching no request is listed; registered as an unscheduled exam it goes on, with its missing MPPS and dose recorded', async () => {
    // Without its dose-area product and exposure indices the image carries no dose data: the pathway must record the dose as missing.
    const noDose = ['(0018,115e)', '(0018,1411)', '(0018,1412)', '(0018,1413)'];
    storescu(examFiles('stray', { patientId: 'PW-IPP-9', patientName: 'MOREAU^Paul', accession: 'EXT-77' }, ['images/DX-Im-GE_XR220-1.dcm'], noDose), 'MODALITY2');
    const unmatched = await waitFor(
      'unmatched study listed',
      async () => {
        const body = (await (await call('/acquisition/unmatched', COORDINATOR)).json()) as { studies: { studyUid: string; patientId: string; sourceAe: string }[] };
        return body.studies.find((s) => s.patientId === 'PW-IPP-9');
      },
      60_000,
      250,
    );
    expect(unmatched.sourceAe).toBe('MODALITY2');

    const reg = await call(`/acquisition/unmatched-studies/${unmatched.studyUid}/register`, COORDINATOR, 'POST', { procedureCode: 'ZBQK002', priority: 'urgent' });
    expect(reg.status).toBe(201);
    const { id } = (await reg.json()) as { id: string };
    const reading = await inState(id, 'reading');
    // The exam takes the study's own numbers: reports and results must carry what the images carry.
    expect(reading).toMatchObject({ acquiredStudyUid: unmatched.studyUid, studyInstanceUid: unmatched.studyUid, accessionNumber: 'EXT-77', reading: { pool: 'regional-teleradiology' } });
    const findings = (await hub.sql<{ kind: string }>('SELECT kind FROM pathway_finding WHERE request_id = $1 ORDER BY kind', [id])).map((f) => f.kind);
    expect(findings).toEqual(['images-without-mpps', 'missing-dose']);
    const listed = (await (await call('/acquisition/unmatched', COORDINATOR)).json()) as { studies: { studyUid: string }[] };
    expect(listed.studies.map((s) => s.studyUid)).not.toContain(unmatched.studyUid);

    // Cancelled while waiting for reading: the task leaves the radiologists' worklist.
    expect((await call(`/requests/${id}/cancel`, COORDINATOR, 'POST', { reason: 'duplicate' })).status).toBe(202);
    await inState(id, 'cancelled');
    expect(await hub.sql('SELECT state FROM reading_task WHERE request_id = $1', [id])).toEqual([{ state: 'cancelled' }]);
    await recordHistory((await request(id)).workflowId, 'exam-pathway-unscheduled-cancelled', hub.namespace);
  });

  it('an MPPS for no request stays listed, and a coordinator attaches a stray study to a scheduled request', async () => {
    const created = await call('/requests', REFERRER, 'POST', {
      patient: { identifiers: [{ value: 'PW-IPP-3', issuer: 'CHU-NORD' }], familyName: 'PETIT', givenName: 'Anne' },
      referrer: { name: 'Dr Jeanne MARTIN' },
      procedureCode: 'ZBQK002',
      priority: 'emergency',
      targetSite: 'chu-nord',
    });
    const { id } = (await created.json()) as { id: string };
    await waitFor('intake mirrored', async () => (await request(id)).attention === 'to-schedule', 30_000, 200);
    expect((await call(`/requests/${id}/schedule`, COORDINATOR, 'POST', { site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T10:00:00+01:00' })).status).toBe(200);

    const orphan = await mppsCreate(hub.dicomPort, '2.25.4242', mppsInProgress({ accessionNumber: 'NOPE', studyInstanceUid: '2.25.4343' }, { name: 'X^Y', id: 'Z' }));
    expect(orphan.getStatus()).toBe(0);
    await waitFor(
      'orphan MPPS listed',
      async () => {
        const body = (await (await call('/acquisition/unmatched', COORDINATOR)).json()) as { mpps: { sopInstanceUid: string }[] };
        return body.mpps.some((m) => m.sopInstanceUid === '2.25.4242');
      },
      30_000,
      250,
    );

    // The modality generated its own Study UID and lost the accession number.
    storescu(examFiles('own-uid', { patientId: 'PW-IPP-3', patientName: 'PETIT^Anne' }, ['images/DX-Im-GE_XR220-2.dcm']));
    const stray = await waitFor(
      'stray study listed',
      async () => {
        const body = (await (await call('/acquisition/unmatched', COORDINATOR)).json()) as { studies: { studyUid: string; patientId: string }[] };
        return body.studies.find((s) => s.patientId === 'PW-IPP-3');
      },
      60_000,
      250,
    );
    const wrong = await call(`/acquisition/unmatched-studies/${stray.studyUid}/attach`, COORDINATOR, 'POST', { requestId: '00000000-0000-4000-8000-000000000000' });
    expect(wrong.status).toBe(404);
    expect((await call(`/acquisition/unmatched-studies/${stray.studyUid}/attach`, COORDINATOR, 'POST', { requestId: id })).status).toBe(202);
    const reading = await inState(id, 'reading');
    expect(reading.acquiredStudyUid).toBe(stray.studyUid);
    expect((await call(`/pathways?state=reading&priority=emergency`, COORDINATOR)).status).toBe(200);
    const list = (await (await call(`/pathways?state=reading&priority=emergency&site=chu-nord`, COORDINATOR)).json()) as { id: string }[];
    expect(list.map((r) => r.id)).toContain(id);
    const bad = await call('/pathways?slaBreached=maybe', COORDINATOR);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/slaBreached must be true or false/);
  });

  it('changes in flight: a coordinator maps an unmapped procedure (PATCH), the placer raises a priority (HL7 ORC-1=XO), a closed order refuses', async () => {
    const created = await call('/requests', REFERRER, 'POST', {
      placerOrderNumber: 'PW-REST-9',
      patient: { identifiers: [{ value: 'PW-IPP-4', issuer: 'CHU-NORD' }], familyName: 'LEROY', givenName: 'Marc' },
      referrer: { name: 'Dr Jeanne MARTIN' },
      procedureCode: 'XYZ999',
      priority: 'routine',
      targetSite: 'chu-nord',
    });
    const { id } = (await created.json()) as { id: string };
    await waitFor('intake mirrored', async () => (await request(id)).attention === 'to-schedule', 30_000, 200);
    const waiting = async () =>
      ((await (await call('/pathways?waitingOnOperator=true&limit=1000', COORDINATOR)).json()) as { id: string; procedure: { unmapped: boolean } }[]).find((r) => r.id === id);
    expect((await waiting())?.procedure.unmapped).toBe(true);
    expect((await call(`/requests/${id}`, COORDINATOR, 'PATCH', { priority: 'someday' })).status).toBe(400);
    const mapped = await call(`/requests/${id}`, COORDINATOR, 'PATCH', { procedureCode: 'ZBQK002' });
    expect(mapped.status).toBe(200);
    expect(await mapped.json()).toMatchObject({ procedure: { code: 'ZBQK002', label: 'Radiographie du thorax', modality: 'DX', unmapped: false } });
    const steps = ((await (await hub.api(`/pathways/${id}/timeline`)).json()) as { events: { step: string; detail: any }[] }).events;
    expect(steps.find((e) => e.step === 'changed')?.detail.changed.procedure_code).toEqual({ before: 'XYZ999', after: 'ZBQK002' });

    const send = async (name: string, lines: string[]) => {
      const file = join(work, name);
      writeFileSync(file, lines.join('\n') + '\n');
      return mllpSend(hub.hl7Port, file);
    };
    const msh = (id: string) => `MSH|^~\\&|RIS|E2E|KRYPTON|REGION|20261201080000||ORM^O01|${id}|P|2.5|||||FRA|UNICODE UTF-8`;
    const pid = 'PID|1||PW-IPP-5^^^CHU-NORD^PI||GARNIER^Paul||19700101|M';
    expect(await send('nw.hl7', [msh('PW-MSG-2'), pid, 'ORC|NW|PW-ORDER-2', `OBR|1|PW-ORDER-2||ZBQK002||||||||||||${REFERRER_RPPS}^MARTIN^Jeanne`])).toMatch(/MSA\|AA\|PW-MSG-2/);
    const [order] = (await (await hub.api('/requests?placerOrderNumber=PW-ORDER-2')).json()) as { id: string; priority: string }[];
    expect(order.priority).toBe('routine');
    expect(await send('xo.hl7', [msh('PW-MSG-3'), pid, 'ORC|XO|PW-ORDER-2|||||^^^^^S', 'OBR|1|PW-ORDER-2||ZBQK002|||||||||Dyspnée brutale'])).toMatch(/MSA\|AA\|PW-MSG-3/);
    expect(await (await hub.api(`/requests/${order.id}`)).json()).toMatchObject({ priority: 'emergency', clinicalInformation: 'Dyspnée brutale' });

    // The first exam's pathway is closed: its order can no longer change, and the sender is told.
    const late = await send('xo-late.hl7', [msh('PW-MSG-4'), 'ORC|XO|PW-ORDER-1|||||^^^^^S', 'OBR|1|PW-ORDER-1||ZBQK002']);
    expect(late).toMatch(/MSA\|AE\|PW-MSG-4/);
    expect(late).toMatch(/can no longer be changed/);
  });
});
