import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import * as dimse from 'dcmjs-dimse';
import { readPart10 } from '@krypton/dicom-codec';
import { ACQUISITION_QUEUE, redisConnection } from '@krypton/queue';
import { dcmtk } from './support/dcmtk';
import { Hub } from './support/hub';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';
import { mppsCreate, mppsInProgress, mppsSet } from './support/mpps-scu';

jest.setTimeout(180_000);

const COORDINATOR = { Authorization: 'Bearer demo-coordinator-token' };
const REFERRER = { Authorization: 'Bearer demo-referrer-token' };
const JSON_BODY = { 'content-type': 'application/json' };

const { Client } = dimse;
const { CFindRequest } = dimse.requests;
dimse.log.setLevel('silent');

type Natural = Record<string, any>;

interface Scheduled {
  id: string;
  accessionNumber: string;
  studyInstanceUid: string;
}

/** Worklist responses as findscu received them: its log, and the identifiers it extracted (-X). */
interface WorklistAnswer {
  readonly status: number | null;
  readonly log: string;
  readonly items: Natural[];
  readonly files: Buffer[];
}

/**
 * The Modality Worklist and MPPS as a modality sees them: requests created and scheduled through the
 * real REST API and pathway, dcmtk's findscu -W against the gateway, and MPPS from dcmjs-dimse's
 * client (an SCU independent of the hub's SCP code).
 */
describe('Modality Worklist and MPPS (findscu -W, dcmjs-dimse N-CREATE/N-SET, real hub)', () => {
  const hub = new Hub({ name: 'mwl', redisDb: 9 });
  let work = '';
  let queue: Queue;
  let helene: Scheduled;
  let dupont: Scheduled;

  const request = (placerOrderNumber: string, patient: Record<string, unknown>, procedureCode = 'ZBQK002') => ({
    placerOrderNumber,
    patient,
    referrer: { rpps: '10000000000', name: 'Dr Jeanne MARTIN', organisation: 'Clinique du Sud' },
    procedureCode,
    priority: 'urgent',
    clinicalInformation: 'Toux fébrile depuis 5 jours',
    targetSite: 'chu-nord',
  });

  async function post(path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
    return hub.api(path, { method: 'POST', headers: { ...JSON_BODY, ...headers }, body: JSON.stringify(body) });
  }

  async function createAndSchedule(body: unknown, scheduledAt: string): Promise<Scheduled> {
    const created = await post('/requests', body, REFERRER);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const scheduled = await post(`/requests/${id}/schedule`, { site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt }, COORDINATOR);
    expect(scheduled.status).toBe(200);
    const r = (await (await hub.api(`/requests/${id}`)).json()) as Scheduled;
    return { id, accessionNumber: r.accessionNumber, studyInstanceUid: r.studyInstanceUid };
  }

  /** Runs findscu -W with a query file (from dump2dcm) or -k keys, extracting every response. */
  let queries = 0;
  function findWorklist(args: { dump?: string[]; keys?: string[]; callingAe?: string }): WorklistAnswer {
    const dir = join(work, `q${++queries}`);
    mkdirSync(dir);
    const fileArgs: string[] = [];
    if (args.dump) {
      writeFileSync(join(dir, 'query.dump'), args.dump.join('\n') + '\n', 'utf8');
      const made = dcmtk('dump2dcm', ['+te', join(dir, 'query.dump'), join(dir, 'query.dcm')]);
      expect(made.stderr).not.toMatch(/^E:/m);
      fileArgs.push(join(dir, 'query.dcm'));
    }
    const r = dcmtk('findscu', ['-v', '-W', '-X', '-od', dir, ...(args.keys ?? []).flatMap((k) => ['-k', k]), ...hub.scu(args.callingAe), ...fileArgs]);
    const files = readdirSync(dir)
      .filter((f) => /^rsp\d+\.dcm$/.test(f))
      .sort()
      .map((f) => readFileSync(join(dir, f)));
    return { status: r.status, log: r.stdout + r.stderr, files, items: files.map((b) => readPart10(b).dataset as Natural) };
  }

  // MPPS from dcmjs-dimse's client (test/support/mpps-scu.ts), as MODALITY1.
  const nCreate = (uid: string, attributes: Natural) => mppsCreate(hub.dicomPort, uid, attributes);
  const nSet = (uid: string, attributes: Natural) => mppsSet(hub.dicomPort, uid, attributes);

  const inProgress = (s: Scheduled): Natural => mppsInProgress(s, { name: 'MARTIN^Hélène', id: '279035121518989' });

  beforeAll(async () => {
    await hub.start();
    work = mkdtempSync(join(hub.dir, 'findscu-'));
    queue = new Queue(ACQUISITION_QUEUE, { connection: redisConnection(hub.redisUrl), prefix: 'krypton' });
    // Nothing may take the jobs away before the test reads them (a pathway worker, once there is one).
    await queue.pause();
    helene = await createAndSchedule(
      request('MWL-1', { ins: '279035121518989', identifiers: [{ value: 'IPP-1', issuer: '000000002' }], familyName: 'MARTIN', givenName: 'Hélène', birthDate: '19790312', sex: 'F' }),
      '2026-12-01T09:30:00+01:00',
    );
    dupont = await createAndSchedule(
      request('MWL-2', { identifiers: [{ value: 'IPP-2', issuer: 'CHU-NORD' }], familyName: 'DUPONT', givenName: 'Jean', birthDate: '19500101', sex: 'M' }, 'ACQK001'),
      '2026-12-02T14:15:00+01:00',
    );
  });

  afterAll(async () => {
    await queue?.close();
    await hub.stop();
  });

  it('shows a scheduled request to its modality with the IHE RAD-5 keys (query built by dump2dcm)', () => {
    const a = findWorklist({
      dump: [
        '(0008,0005) CS [ISO_IR 192]',
        '(0008,0050) SH []',
        '(0008,0090) PN []',
        '(0010,0010) PN []',
        '(0010,0020) LO []',
        '(0010,0021) LO []',
        '(0010,0030) DA []',
        '(0010,0040) CS []',
        '(0020,000d) UI []',
        '(0032,1060) LO []',
        '(0032,1064) SQ (Sequence with explicit length #=0)',
        '(fffe,e0dd) na (SequenceDelimitationItem for re-encoding)',
        '(0040,0100) SQ (Sequence with explicit length #=1)',
        '  (fffe,e000) na (Item with explicit length #=9)',
        '    (0008,0060) CS []',
        '    (0040,0001) AE [MODALITY1]',
        '    (0040,0002) DA [20261201]',
        '    (0040,0003) TM []',
        '    (0040,0006) PN []',
        '    (0040,0007) LO []',
        '    (0040,0008) SQ (Sequence with explicit length #=0)',
        '    (fffe,e0dd) na (SequenceDelimitationItem for re-encoding)',
        '    (0040,0009) SH []',
        '    (0040,0020) CS []',
        '  (fffe,e00d) na (ItemDelimitationItem for re-encoding)',
        '(fffe,e0dd) na (SequenceDelimitationItem for re-encoding)',
        '(0040,1001) SH []',
        '(0040,1002) LO []',
        '(0040,1003) SH []',
      ],
    });
    expect(a.status).toBe(0);
    expect(a.log).toMatch(/Received Find Response 1 \(Pending\)/);
    expect(a.log).toMatch(/Received Final Find Response \(Success\)/);
    expect(a.items).toHaveLength(1);
    const [item] = a.items;
    expect(item).toMatchObject({
      SpecificCharacterSet: 'ISO_IR 192',
      AccessionNumber: helene.accessionNumber,
      StudyInstanceUID: helene.studyInstanceUid,
      PatientID: '279035121518989',
      IssuerOfPatientID: '1.2.250.1.213.1.4.8',
      PatientBirthDate: '19790312',
      PatientSex: 'F',
      RequestedProcedureID: helene.accessionNumber,
      RequestedProcedureDescription: 'Radiographie du thorax',
      RequestedProcedureCodeSequence: [expect.objectContaining({ CodeValue: 'ZBQK002', CodeMeaning: 'Radiographie du thorax' })],
      RequestedProcedurePriority: 'HIGH',
      ReasonForTheRequestedProcedure: 'Toux fébrile depuis 5 jours',
    });
    expect(item.PatientName).toEqual([{ Alphabetic: 'MARTIN^Hélène' }]);
    expect(item.ReferringPhysicianName).toEqual([{ Alphabetic: 'Dr Jeanne MARTIN' }]);
    // 09:30 in Paris, as scheduled (+01:00 in December), however the instant is stored.
    expect(item.ScheduledProcedureStepSequence).toEqual([
      expect.objectContaining({
        Modality: 'DX',
        ScheduledStationAETitle: 'MODALITY1',
        ScheduledProcedureStepStartDate: '20261201',
        ScheduledProcedureStepStartTime: '093000',
        ScheduledProcedureStepDescription: 'Radiographie du thorax',
        ScheduledProtocolCodeSequence: [expect.objectContaining({ CodeValue: 'ZBQK002' })],
        ScheduledProcedureStepID: `${helene.accessionNumber}-1`,
        ScheduledProcedureStepStatus: 'SCHEDULED',
      }),
    ]);
    // Only what was asked for comes back.
    const asked = [
      'SpecificCharacterSet',
      'AccessionNumber',
      'ReferringPhysicianName',
      'PatientName',
      'PatientID',
      'IssuerOfPatientID',
      'PatientBirthDate',
      'PatientSex',
      'StudyInstanceUID',
      'RequestedProcedureDescription',
      'RequestedProcedureCodeSequence',
      'ScheduledProcedureStepSequence',
      'RequestedProcedureID',
      'ReasonForTheRequestedProcedure',
      'RequestedProcedurePriority',
    ];
    expect(
      Object.keys(item)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ).toEqual([...asked].sort());
    expect(
      Object.keys(item.ScheduledProcedureStepSequence[0])
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ).toEqual(
      [
        'Modality',
        'ScheduledStationAETitle',
        'ScheduledProcedureStepStartDate',
        'ScheduledProcedureStepStartTime',
        'ScheduledPerformingPhysicianName',
        'ScheduledProcedureStepDescription',
        'ScheduledProtocolCodeSequence',
        'ScheduledProcedureStepID',
        'ScheduledProcedureStepStatus',
      ].sort(),
    );
  });

  it('sends the accented name in UTF-8, and matches it case-insensitively with a wildcard', () => {
    const a = findWorklist({ keys: ['SpecificCharacterSet=ISO_IR 192', 'PatientName=martin^hél*', 'AccessionNumber'] });
    expect(a.items.map((i) => i.AccessionNumber)).toEqual([helene.accessionNumber]);
    // The bytes on the wire: ISO_IR 192 declared, "é" and "è" as two-byte UTF-8 sequences.
    expect(a.files[0].includes(Buffer.from('ISO_IR 192'))).toBe(true);
    expect(a.files[0].includes(Buffer.from('MARTIN^Hélène', 'utf8'))).toBe(true);
  });

  it('answers nothing for another station AE or another date, both items for a date range', () => {
    const otherAe = findWorklist({ keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MODALITY2'] });
    expect(otherAe.log).toMatch(/Received Final Find Response \(Success\)/);
    expect(otherAe.items).toHaveLength(0);

    const otherDate = findWorklist({ keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261203'] });
    expect(otherDate.items).toHaveLength(0);

    const range = findWorklist({
      keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MODALITY1', 'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261201-20261202'],
    });
    expect(range.items.map((i) => i.AccessionNumber)).toEqual([helene.accessionNumber, dupont.accessionNumber]);

    const afternoon = findWorklist({ keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime=1200-1800'] });
    expect(afternoon.items.map((i) => i.AccessionNumber)).toEqual([dupont.accessionNumber]);

    const ct = findWorklist({ keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].Modality=CT'] });
    expect(ct.items.map((i) => i.AccessionNumber)).toEqual([dupont.accessionNumber]);
  });

  it('matches Patient ID on the local identifier too, and answers the first local identifier when there is no INS', () => {
    const byLocal = findWorklist({ keys: ['PatientID=IPP-1', 'AccessionNumber'] });
    expect(byLocal.items.map((i) => i.AccessionNumber)).toEqual([helene.accessionNumber]);
    const noIns = findWorklist({ keys: [`AccessionNumber=${dupont.accessionNumber}`, 'PatientID', 'IssuerOfPatientID', 'PatientName'] });
    expect(noIns.items).toEqual([expect.objectContaining({ PatientID: 'IPP-2', IssuerOfPatientID: 'CHU-NORD', PatientName: [{ Alphabetic: 'DUPONT^Jean' }] })]);
  });

  it('answers Pending 0xFF01 when an optional key is not supported, and leaves that key out', () => {
    const a = findWorklist({ keys: ['AccessionNumber', 'PatientAddress', 'StudyInstanceUID'] });
    // dcmtk's name for 0xFF01, on every pending response.
    expect(a.log).toMatch(/Received Find Response 1 \(Pending: WarningUnsupportedOptionalKeys\)/);
    expect(a.log).toMatch(/Received Find Response 2 \(Pending: WarningUnsupportedOptionalKeys\)/);
    expect(a.log).toMatch(/Received Final Find Response \(Success\)/);
    expect(a.items.length).toBe(2);
    expect(a.items.every((i) => !('PatientAddress' in i) && typeof i.StudyInstanceUID === 'string')).toBe(true);
  });

  it('honours C-CANCEL: a find cancelled while it runs ends with Cancel (0xFE00) and the gateway keeps serving', async () => {
    const req = CFindRequest.createWorklistFindRequest({ AccessionNumber: '', ScheduledProcedureStepSequence: [] });
    const statuses: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const client = new Client();
      req.on('response', (r: any) => statuses.push(r.getStatus()));
      // The cancel follows the request at once: it reaches the gateway while the database answers.
      client.on('associationAccepted', () => setImmediate(() => client.cancel(req)));
      client.on('networkError', (e: Error) => reject(e));
      client.on('closed', () => resolve());
      client.addRequest(req);
      client.send('127.0.0.1', hub.dicomPort, 'MODALITY1', 'KRYPTON');
    });
    expect(statuses.at(-1)).toBe(0xfe00);
    expect(statuses.filter((s) => s === 0xff00).length).toBeLessThan(2);
    expect(findWorklist({ keys: ['AccessionNumber'] }).items).toHaveLength(2);
  });

  it('refuses an unparsable match key with a failure status', () => {
    const a = findWorklist({ keys: ['AccessionNumber', 'ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=2026-12-01'] });
    expect(a.log).toMatch(/Received Final Find Response \(Error: DataSetDoesNotMatchSOPClass\)/);
    expect(a.items).toHaveLength(0);
  });

  it('rejects an unknown calling AE at association, as for every other service', () => {
    const a = findWorklist({ keys: ['AccessionNumber'], callingAe: 'INTRUDER' });
    expect(a.status).not.toBe(0);
    expect(a.log).toMatch(/Calling AE Title Not Recognized/i);
  });

  it('removes a cancelled request from the worklist', async () => {
    const gone = await createAndSchedule(
      request('MWL-3', { identifiers: [{ value: 'IPP-3', issuer: 'CHU-NORD' }], familyName: 'DURAND', givenName: 'Paul', birthDate: '19600101', sex: 'M' }),
      '2026-12-01T11:00:00+01:00',
    );
    expect(findWorklist({ keys: [`AccessionNumber=${gone.accessionNumber}`] }).items).toHaveLength(1);
    expect((await post(`/requests/${gone.id}/cancel`, { reason: 'patient declined' }, COORDINATOR)).status).toBe(202);
    await waitFor('worklist item removed', async () => findWorklist({ keys: [`AccessionNumber=${gone.accessionNumber}`] }).items.length === 0, 15_000, 300);
  });

  describe('MPPS', () => {
    let uid = '';

    it('N-CREATE IN PROGRESS: stored with the scheduled keys, UID chosen by the hub, acquisition job queued', async () => {
      const res = await nCreate('', inProgress(helene));
      expect(res.getStatus()).toBe(0x0000);
      uid = String(res.getAffectedSopInstanceUid()).replace(/\0/g, '').trim();
      expect(uid).toMatch(/^2\.25\.\d+$/);
      const [row] = await hub.sql<Record<string, any>>('SELECT * FROM mpps WHERE sop_instance_uid = $1', [uid]);
      expect(row).toMatchObject({
        status: 'IN PROGRESS',
        calling_ae: 'MODALITY1',
        performed_station_ae: 'MODALITY1',
        modality: 'DX',
        accession_number: helene.accessionNumber,
        study_instance_uid: helene.studyInstanceUid,
        requested_procedure_id: helene.accessionNumber,
        sps_id: `${helene.accessionNumber}-1`,
        ended_at: null,
        request_id: null,
        matched: false,
      });
      expect(new Date(row.started_at).toISOString()).toBe('2026-12-01T08:35:12.000Z');
      expect(row.attributes['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'MARTIN^Hélène' }] });
      const jobs = await queue.getJobs(['wait', 'paused', 'delayed']);
      expect(jobs.map((j) => [j.name, j.data])).toContainEqual(['mpps', { kind: 'mpps', sopInstanceUid: uid }]);
    });

    it('refuses a second N-CREATE of the same instance (0x0111) and a step not IN PROGRESS (0x0106)', async () => {
      expect((await nCreate(uid, inProgress(helene))).getStatus()).toBe(0x0111);
      expect((await nCreate('2.25.42', { ...inProgress(helene), PerformedProcedureStepStatus: 'COMPLETED' })).getStatus()).toBe(0x0106);
      expect(await hub.sql('SELECT 1 FROM mpps WHERE sop_instance_uid = $1', ['2.25.42'])).toHaveLength(0);
    });

    it('N-SET of an unknown instance answers 0x0112', async () => {
      expect((await nSet('2.25.4242', { PerformedProcedureStepStatus: 'COMPLETED' })).getStatus()).toBe(0x0112);
    });

    it('N-SET COMPLETED merges into the stored step and queues a job; a later N-SET answers 0x0110', async () => {
      const done = await nSet(uid, {
        PerformedProcedureStepStatus: 'COMPLETED',
        PerformedProcedureStepEndDate: '20261201',
        PerformedProcedureStepEndTime: '094000',
        PerformedSeriesSequence: [{ SeriesInstanceUID: '2.25.777', Modality: 'DX', ReferencedImageSequence: [] }],
      });
      expect(done.getStatus()).toBe(0x0000);
      const [row] = await hub.sql<Record<string, any>>('SELECT * FROM mpps WHERE sop_instance_uid = $1', [uid]);
      expect(row.status).toBe('COMPLETED');
      expect(new Date(row.ended_at).toISOString()).toBe('2026-12-01T08:40:00.000Z');
      expect(row.accession_number).toBe(helene.accessionNumber);
      // Attributes from N-CREATE stay, N-SET's are added.
      expect(row.attributes['00400253']).toEqual({ vr: 'SH', Value: ['PPS-1'] });
      expect(row.attributes['00400340'].Value[0]['0020000E']).toEqual({ vr: 'UI', Value: ['2.25.777'] });
      const jobs = await queue.getJobs(['wait', 'paused', 'delayed']);
      expect(jobs.filter((j) => j.data.sopInstanceUid === uid)).toHaveLength(2);

      const late = await nSet(uid, { PerformedProcedureStepStatus: 'DISCONTINUED' });
      expect(late.getStatus()).toBe(0x0110);
      expect(late.getErrorComment()).toMatch(/COMPLETED: may no longer be updated/);
      expect((await hub.sql<{ status: string }>('SELECT status FROM mpps WHERE sop_instance_uid = $1', [uid]))[0].status).toBe('COMPLETED');
    });

    it('answers 0x0110 and keeps nothing when Redis cannot take the job, so the modality sends the step again', async () => {
      await hub.stopApp('dicom-gateway');
      // A port nobody listens on: the gateway runs, Redis does not answer.
      hub.startApp('dicom-gateway', { REDIS_URL: `redis://127.0.0.1:${await freePort()}/9` });
      await waitFor('gateway up without Redis', () => dcmtk('echoscu', hub.scu()).status === 0, 30_000, 300);
      const res = await nCreate('2.25.4343', inProgress(helene));
      expect(res.getStatus()).toBe(0x0110);
      expect(res.getErrorComment()).toMatch(/acquisition queue unavailable/);
      expect(await hub.sql('SELECT 1 FROM mpps WHERE sop_instance_uid = $1', ['2.25.4343'])).toHaveLength(0);

      await hub.stopApp('dicom-gateway');
      hub.startApp('dicom-gateway');
      await waitFor('gateway up again', () => dcmtk('echoscu', hub.scu()).status === 0, 30_000, 300);
      expect((await nCreate('2.25.4343', inProgress(helene))).getStatus()).toBe(0x0000);
      expect(await hub.sql('SELECT 1 FROM mpps WHERE sop_instance_uid = $1', ['2.25.4343'])).toHaveLength(1);
    });
  });
});
