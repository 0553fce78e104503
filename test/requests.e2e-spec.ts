import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sha256Hex } from '@krypton/auth';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { waitFor } from './support/wait-for';
import { ackFields, sendOne } from './support/mllp';

jest.setTimeout(120_000);

const COORDINATOR = { Authorization: 'Bearer demo-coordinator-token' };
const REFERRER = { Authorization: 'Bearer demo-referrer-token' };
const JSON_BODY = { 'content-type': 'application/json' };

interface RequestBody {
  id: string;
  state: string;
  placerOrderNumber: string | null;
  accessionNumber: string | null;
  studyInstanceUid: string | null;
  procedure: { code: string; label: string | null; modality: string | null; unmapped: boolean };
  scheduled: { site: string; aeTitle: string; at: string } | null;
}

/** Exam requests through the REST and FHIR doors, scheduled and cancelled on the real stack. */
describe('exam requests and their pathway (REST, FHIR, Temporal, PostgreSQL)', () => {
  let hub: Hub;

  const rest = (placerOrderNumber?: string) => ({
    placerOrderNumber,
    patient: { ins: '279035121518989', identifiers: [{ value: 'IPP-1', issuer: '000000002' }], familyName: 'DUPONT', givenName: 'Marie', birthDate: '19790312', sex: 'F' },
    referrer: { rpps: '10000000000', name: 'Dr Jeanne MARTIN', organisation: 'Clinique du Sud' },
    procedureCode: 'ZBQK002',
    priority: 'urgent',
    clinicalInformation: 'Toux fébrile depuis 5 jours',
    targetSite: 'chu-nord',
  });

  async function post(path: string, body: unknown, headers: Record<string, string> = REFERRER): Promise<Response> {
    return hub.api(path, { method: 'POST', headers: { ...JSON_BODY, ...headers }, body: JSON.stringify(body) });
  }

  async function get(id: string): Promise<RequestBody> {
    const res = await hub.api(`/requests/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as RequestBody;
  }

  beforeAll(async () => {
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    hub = new Hub({
      name: 'requests',
      redisDb: 4,
      config: { users: [...demo.users, { name: 'other-referrer', roles: ['referrer'], identifiers: ['rpps:19999999999'], tokenSha256: sha256Hex('other-referrer-token') }] },
    });
    await hub.start();
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('creates a request by REST (201, id), and a resend with the same placer order number answers the same id without a second pathway', async () => {
    const first = await post('/requests', rest('CMD-1'));
    expect(first.status).toBe(201);
    const created = (await first.json()) as RequestBody;
    expect(created).toMatchObject({
      id: expect.any(String),
      state: 'received',
      placerOrderNumber: 'CMD-1',
      procedure: { code: 'ZBQK002', label: 'Radiographie du thorax', modality: 'DX', unmapped: false },
    });

    const again = await post('/requests', rest('CMD-1'));
    expect(again.status).toBe(200);
    expect(((await again.json()) as RequestBody).id).toBe(created.id);
    expect(await hub.sql('SELECT id FROM exam_request WHERE placer_order_number = $1', ['CMD-1'])).toHaveLength(1);

    const found = await hub.api('/requests?placerOrderNumber=CMD-1');
    expect(((await found.json()) as RequestBody[]).map((r) => r.id)).toEqual([created.id]);
    // One pathway, one intake: the resend started nothing.
    const intake = await waitFor('intake recorded', async () => {
      const rows = await hub.sql<{ step: string }>("SELECT step FROM pathway_event WHERE request_id = $1 AND step = 'intake'", [created.id]);
      return rows.length ? rows : null;
    });
    expect(intake).toHaveLength(1);
  });

  it("shows a referrer their own requests and those naming their RPPS, never another referrer's (404, as if absent)", async () => {
    const mine = (await (await post('/requests', rest('CMD-MINE'))).json()) as RequestBody;
    const naming = (await (await post('/requests', { ...rest('CMD-NAMING'), referrer: { rpps: '19999999999', name: 'Dr Autre' } }, COORDINATOR)).json()) as RequestBody;
    const other = { Authorization: 'Bearer other-referrer-token' };
    expect((await hub.api(`/requests/${mine.id}`, { headers: REFERRER })).status).toBe(200);
    expect((await hub.api(`/requests/${mine.id}`, { headers: other })).status).toBe(404);
    expect((await hub.api(`/pathways/${mine.id}/timeline`, { headers: other })).status).toBe(404);
    expect((await post(`/requests/${mine.id}/cancel`, {}, other)).status).toBe(404);
    expect((await hub.api(`/requests/${naming.id}`, { headers: other })).status).toBe(200);
    const listed = ((await (await hub.api('/requests?limit=1000', { headers: other })).json()) as RequestBody[]).map((r) => r.id);
    expect(listed).toContain(naming.id);
    expect(listed).not.toContain(mine.id);
    // The radiology side sees both.
    const all = ((await (await hub.api('/pathways?limit=1000', { headers: COORDINATOR })).json()) as RequestBody[]).map((r) => r.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, naming.id]));
  });

  it('flags an unknown procedure code instead of refusing it', async () => {
    const res = await post('/requests', { ...rest('CMD-UNMAPPED'), procedureCode: 'LOCALXR12' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as RequestBody).procedure).toMatchObject({ code: 'LOCALXR12', unmapped: true, modality: null });
  });

  it('answers 400 naming the field of a bad request, 422 for an unknown site', async () => {
    const bad = await post('/requests', { ...rest(), patient: { ...rest().patient, familyName: '' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('patient.familyName must not be empty');
    const badPriority = await post('/requests', { ...rest(), priority: 'asap' });
    expect(badPriority.status).toBe(400);
    expect(JSON.stringify(await badPriority.json())).toContain('priority must be one of routine, urgent, emergency');
    const site = await post('/requests', { ...rest(), targetSite: 'atlantis' });
    expect(site.status).toBe(422);
    expect(((await site.json()) as { message: string }).message).toMatch(/^targetSite: unknown site "atlantis"/);
  });

  it('creates a request from a FHIR ServiceRequest, and names the FHIR path in an OperationOutcome', async () => {
    const sr = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      contained: [
        { resourceType: 'Patient', id: 'p', identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '279035121518989' }], name: [{ family: 'DUPONT', given: ['Marie'] }], gender: 'female' },
      ],
      identifier: [{ system: 'urn:oid:1.2.250.1000.9', value: 'SR-1' }],
      subject: { reference: '#p' },
      requester: { display: 'Dr Jeanne MARTIN' },
      code: { coding: [{ code: 'ACQK001' }] },
      priority: 'stat',
      reasonCode: [{ text: 'Céphalées brutales' }],
    };
    const res = await hub.api('/fhir/ServiceRequest', { method: 'POST', headers: { ...REFERRER, 'content-type': 'application/fhir+json' }, body: JSON.stringify(sr) });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const body = (await res.json()) as { resourceType: string; id: string; priority: string };
    expect(body).toMatchObject({ resourceType: 'ServiceRequest', priority: 'stat' });
    expect(await get(body.id)).toMatchObject({ placerOrderNumber: 'SR-1', procedure: { code: 'ACQK001', modality: 'CT' } });

    const bad = await hub.api('/fhir/ServiceRequest', { method: 'POST', headers: { ...REFERRER, 'content-type': 'application/fhir+json' }, body: JSON.stringify({ ...sr, code: undefined }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', expression: ['ServiceRequest.code'] }] });
  });

  it('schedules through the pathway (accession number and Study Instance UID on GET, worklist item published), moves the slot on a second schedule, refuses an unknown AE (422), then cancels (409 to schedule after)', async () => {
    const { id } = (await (await post('/requests', rest('CMD-SCHED'))).json()) as RequestBody;
    const slot = { site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' };

    expect((await post(`/requests/${id}/schedule`, slot, REFERRER)).status).toBe(403);
    const unknownAe = await post(`/requests/${id}/schedule`, { ...slot, aeTitle: 'MODALITY2' }, COORDINATOR);
    expect(unknownAe.status).toBe(422);
    expect(((await unknownAe.json()) as { message: string }).message).toMatch(/^aeTitle: "MODALITY2" is not a configured modality AE of site "chu-nord"/);

    const scheduled = await post(`/requests/${id}/schedule`, slot, COORDINATOR);
    expect(scheduled.status).toBe(200);
    const req = await get(id);
    expect(req.state).toBe('scheduled');
    expect(req.accessionNumber).toMatch(/^KR[0-9A-Z]{8}$/);
    expect(req.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(req.scheduled).toEqual({ site: 'chu-nord', aeTitle: 'MODALITY1', at: '2026-12-01T08:30:00.000Z' });
    const byAccession = await hub.api(`/requests?accessionNumber=${req.accessionNumber}`);
    expect(((await byAccession.json()) as RequestBody[]).map((r) => r.id)).toEqual([id]);
    expect(await hub.sql('SELECT accession_number, study_instance_uid, ae_title FROM worklist_item WHERE request_id = $1', [id])).toEqual([
      { accession_number: req.accessionNumber, study_instance_uid: req.studyInstanceUid, ae_title: 'MODALITY1' },
    ]);

    // Before acquisition a second schedule is a change of slot: same accession number and Study UID, the worklist item moves.
    const moved = await post(`/requests/${id}/schedule`, { ...slot, scheduledAt: '2026-12-02T14:00:00+01:00' }, COORDINATOR);
    expect(moved.status).toBe(200);
    expect(await get(id)).toMatchObject({ accessionNumber: req.accessionNumber, studyInstanceUid: req.studyInstanceUid, scheduled: { at: '2026-12-02T13:00:00.000Z' } });
    expect(await hub.sql('SELECT scheduled_at FROM worklist_item WHERE request_id = $1', [id])).toEqual([{ scheduled_at: new Date('2026-12-02T13:00:00.000Z') }]);

    expect((await post(`/requests/${id}/cancel`, { reason: 'patient declined' }, COORDINATOR)).status).toBe(202);
    await waitFor('request cancelled', async () => (await get(id)).state === 'cancelled', 15_000);
    expect(await hub.sql('SELECT 1 FROM worklist_item WHERE request_id = $1', [id])).toHaveLength(0);
    expect((await post(`/requests/${id}/schedule`, slot, COORDINATOR)).status).toBe(409);

    const timeline = (await (await hub.api(`/pathways/${id}/timeline`)).json()) as { events: { step: string; actor: string | null }[] };
    expect(timeline.events.map((e) => [e.step, e.actor])).toEqual([
      ['intake', 'demo-referrer'],
      ['scheduled', 'demo-coordinator'],
      ['scheduled', 'demo-coordinator'],
      ['cancelled', 'demo-coordinator'],
    ]);
  });

  it('answers recent equivalent exams (same patient across sites, same procedure family) through REST, FHIR (note) and HL7 (ERR severity W)', async () => {
    const INS = '180017512345678';
    // A head CT of this patient already in the catalogue, filed by another site's PACS 10 days ago.
    const [p] = await hub.sql<{ id: string }>(`INSERT INTO patient (patient_id, issuer, name, ins) VALUES ('PACS-77', 'CLINIQUE-SUD', 'DURAND^Paul', $1) RETURNING id`, [INS]);
    const [st] = await hub.sql<{ id: string }>(
      `INSERT INTO study (study_uid, patient_fk, study_date, study_description, source_ae) VALUES ('2.25.4242', $1, to_char(now() - interval '10 days', 'YYYYMMDD'), 'TDM crane', 'MODALITY2') RETURNING id`,
      [p.id],
    );
    await hub.sql(`INSERT INTO series (series_uid, study_fk, modality, body_part) VALUES ('2.25.4242.1', $1, 'CT', 'HEAD')`, [st.id]);
    const patient = { ins: INS, identifiers: [{ value: 'IPP-DUP', issuer: 'CHU-NORD' }], familyName: 'DURAND', givenName: 'Paul', birthDate: '19600101', sex: 'M' };
    const headCt = { patient, referrer: { rpps: '10000000000', name: 'Dr Jeanne MARTIN' }, procedureCode: 'ACQK001', priority: 'routine', targetSite: 'chu-nord' };

    const first = await post('/requests', { ...headCt, placerOrderNumber: 'DUP-1' });
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as RequestBody & { recentEquivalentExams: { source: string; studyInstanceUid: string; site: string }[] };
    expect(firstBody.recentEquivalentExams).toEqual([expect.objectContaining({ source: 'study', studyInstanceUid: '2.25.4242', modality: 'CT', bodyPart: 'HEAD', site: 'clinique-sud' })]);
    // Another family (chest radiograph) of the same patient: nothing to reconsider.
    const chest = (await (await post('/requests', { ...headCt, procedureCode: 'ZBQK002', placerOrderNumber: 'DUP-2' })).json()) as { recentEquivalentExams: unknown[] };
    expect(chest.recentEquivalentExams).toEqual([]);

    // FHIR, the patient known by INS only: the REST request and the study, as notes.
    const sr = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      contained: [{ resourceType: 'Patient', id: 'p', identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: INS }], name: [{ family: 'DURAND', given: ['Paul'] }], gender: 'male' }],
      identifier: [{ system: 'urn:oid:1.2.250.1000.9', value: 'DUP-SR' }],
      subject: { reference: '#p' },
      requester: { display: 'Dr Jeanne MARTIN' },
      code: { coding: [{ code: 'ACQK001' }] },
    };
    const fhir = await hub.api('/fhir/ServiceRequest', { method: 'POST', headers: { ...REFERRER, 'content-type': 'application/fhir+json' }, body: JSON.stringify(sr) });
    expect(fhir.status).toBe(201);
    const notes = ((await fhir.json()) as { note?: { text: string }[] }).note?.map((n) => n.text) ?? [];
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`request ${firstBody.id}`),
        expect.stringMatching(/^recent equivalent exam: CT HEAD \(TDM crane\) on \d{4}-\d{2}-\d{2} at clinique-sud \(study 2\.25\.4242\)$/),
      ]),
    );

    // HL7 ORM^O01 with the local identifier only: AA, one ERR severity W per equivalent exam.
    const orm = [
      'MSH|^~\\&|RIS|CHU|KRYPTON|REGION|20260115120000||ORM^O01|DUP-HL7|P|2.5',
      'PID|1||IPP-DUP^^^CHU-NORD^PI||DURAND^Paul||19600101|M',
      'ORC|NW|DUP-3',
      'OBR|1|DUP-3||ACQK001^Scanographie du crane^CCAM||||||||||||10000000000^MARTIN^Jeanne',
    ].join('\r');
    const ack = await sendOne(hub.hl7Port, orm);
    expect(ackFields(ack).code).toBe('AA');
    const errs = ack.split(/\r|\n/).filter((l) => l.startsWith('ERR|'));
    // Known by its local identifier only: the REST request (same identifier) — not the other site's study, which only the INS reaches.
    expect(errs.length).toBe(1);
    for (const e of errs) {
      const f = e.split('|');
      expect([f[3], f[4]]).toEqual(['0^Message accepted^HL70357', 'W']);
      expect(f[8]).toMatch(/^recent equivalent exam: CT HEAD/);
    }
    expect(errs.join('\n')).toContain(`request ${firstBody.id}`);
  });
});
