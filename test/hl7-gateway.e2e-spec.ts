import { join } from 'node:path';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { MllpConnection, ackFields, mllpFrame, mllpSend, sendOne } from './support/mllp';
import { waitFor } from './support/wait-for';

jest.setTimeout(60_000);

const FIXTURES = join(ROOT, 'test/fixtures/hl7');
const LIMIT = 8192;
const seg = (...s: string[]) => s.join('\r');
const msh = (type: string, controlId: string, extra = '') => `MSH|^~\\&|RIS|E2E|KRYPTON|REGION|20260115120000||${type}|${controlId}|P|2.5${extra}`;
const order = (controlId: string, placer: string, pid = 'PID|1||E2E-1^^^E2E^PI||TEST^Patient||19800101|F') =>
  seg(msh('ORM^O01', controlId), pid, `ORC|NW|${placer}`, `OBR|1|${placer}||ZBQK002^Radiographie du thorax^CCAM||||||||||||10003456789^LEGRAND^Paul`);

describe('HL7 gateway (MLLP, against the real gateway process)', () => {
  // The gateway, and the API to read requests and QIDO back: orders become exam_request rows and
  // pathway workflows in Temporal, which wait for a worker that this suite does not need.
  const hub = new Hub({ name: 'hl7', redisDb: 6, env: { HL7_MAX_MESSAGE_BYTES: String(LIMIT) } });

  beforeAll(async () => {
    await hub.start(['hl7-gateway', 'api']);
    await waitFor(
      `hl7-gateway listening (logs in ${hub.dir})`,
      async () => {
        const c = await MllpConnection.open(hub.hl7Port);
        c.close();
        return true;
      },
      30_000,
      200,
    );
    await waitFor(`api listening (logs in ${hub.dir})`, async () => (await hub.api('/requests?limit=1')).status === 200, 60_000, 300);
  });

  afterAll(async () => {
    await hub.stop();
  });

  const rows = (controlId: string) =>
    hub.sql<{ id: string; status: string; ack_code: string; error_code: number | null }>(`SELECT id, status, ack_code, error_code FROM hl7_message WHERE control_id = $1 ORDER BY id`, [controlId]);
  const requests = (placer: string) =>
    hub.sql<{ id: string; placer_system: string; procedure_unmapped: boolean; patient_family_name: string }>(`SELECT * FROM exam_request WHERE placer_order_number = $1`, [placer]);

  it('answers AA to a real peer (mllp_send) and creates one request per ORC/OBR group', async () => {
    const out = await mllpSend(hub.hl7Port, join(FIXTURES, 'orm-o01-two-exams.hl7'));
    expect(ackFields(out)).toMatchObject({ code: 'AA', controlId: 'ORM-0001' });
    expect(await rows('ORM-0001')).toEqual([expect.objectContaining({ status: 'applied', ack_code: 'AA' })]);
    for (const placer of ['CMD-1001', 'CMD-1002']) expect(await requests(placer)).toEqual([expect.objectContaining({ placer_system: 'DPI@CHU-NORD', patient_family_name: 'DUPONT' })]);
  });

  it('accepts an order whose procedure is not in the catalogue, flagged for mapping', async () => {
    const out = await mllpSend(hub.hl7Port, join(FIXTURES, 'omi-o23-tq1.hl7'));
    expect(ackFields(out).code).toBe('AA');
    expect(await requests('RX-77')).toEqual([expect.objectContaining({ procedure_unmapped: true })]);
  });

  it('has the message journaled, with its outcome, by the time the ACK arrives', async () => {
    const ack = ackFields(await sendOne(hub.hl7Port, order('E2E-ROW', 'P-ROW')));
    expect(ack.code).toBe('AA');
    // The ACK's own MSH-10 names the journal row.
    const id = ack.ackControlId.replace('KRYPTON-', '');
    expect(await hub.sql(`SELECT status, ack_code, length(raw) > 0 AS has_raw FROM hl7_message WHERE id = $1`, [id])).toEqual([{ status: 'applied', ack_code: 'AA', has_raw: true }]);
  });

  it('acknowledges a resent MSH-10 with AA and applies it once', async () => {
    const c = await MllpConnection.open(hub.hl7Port);
    try {
      // Both copies in one write: also covers several frames per TCP read.
      c.write(Buffer.concat([mllpFrame(order('E2E-DUP', 'P-DUP')), mllpFrame(order('E2E-DUP', 'P-DUP'))]));
      const acks = (await c.waitAcks(2)).map(ackFields);
      expect(acks.map((a) => [a.code, a.controlId])).toEqual([
        ['AA', 'E2E-DUP'],
        ['AA', 'E2E-DUP'],
      ]);
    } finally {
      c.close();
    }
    expect((await rows('E2E-DUP')).map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect(await requests('P-DUP')).toHaveLength(1);
  });

  it('answers AE with ERR-3 101 naming PID when an order has no patient', async () => {
    const noPid = seg(msh('ORM^O01', 'E2E-NOPID'), 'ORC|NW|P-NOPID', 'OBR|1|P-NOPID||ZBQK002||||||||||||10003456789^LEGRAND^Paul');
    const ack = ackFields(await sendOne(hub.hl7Port, noPid));
    expect(ack).toMatchObject({ code: 'AE', controlId: 'E2E-NOPID', errCode: '101' });
    expect(ack.errLocation).toMatch(/^PID/);
    expect(ack.text).toContain('PID');
    expect(await rows('E2E-NOPID')).toEqual([expect.objectContaining({ status: 'error', ack_code: 'AE', error_code: 101 })]);
    expect(await requests('P-NOPID')).toHaveLength(0);
  });

  it('rejects (AR) an unsupported message type, and still journals it', async () => {
    const ack = ackFields(await sendOne(hub.hl7Port, seg(msh('ORU^R01', 'E2E-ORU'), 'PID|1||X')));
    expect(ack).toMatchObject({ code: 'AR', controlId: 'E2E-ORU', errCode: '200' });
    expect(await rows('E2E-ORU')).toEqual([expect.objectContaining({ status: 'rejected', ack_code: 'AR' })]);
  });

  it('rejects an oversized message with AR naming the limit, and the connection keeps working', async () => {
    const c = await MllpConnection.open(hub.hl7Port);
    try {
      const big = order('E2E-BIG', 'P-BIG') + '\rNTE|1||' + 'x'.repeat(LIMIT * 3);
      c.write(mllpFrame(big));
      const [tooBig] = (await c.waitAcks(1)).map(ackFields);
      expect(tooBig).toMatchObject({ code: 'AR', controlId: 'E2E-BIG' });
      expect(tooBig.text).toContain(`${LIMIT} bytes`);
      c.write(mllpFrame(order('E2E-AFTER-BIG', 'P-AFTER-BIG')));
      expect(ackFields((await c.waitAcks(2))[1])).toMatchObject({ code: 'AA', controlId: 'E2E-AFTER-BIG' });
    } finally {
      c.close();
    }
    expect(await hub.sql(`SELECT truncated, size_bytes > $1 AS over FROM hl7_message WHERE control_id = 'E2E-BIG'`, [LIMIT])).toEqual([{ truncated: true, over: true }]);
    expect(await requests('P-BIG')).toHaveLength(0);
  });

  it('accepts LF between segments, ISO 8859-1 with MSH-18, and a message split across writes with noise between frames', async () => {
    const lf = order('E2E-LF', 'P-LF').replace(/\r/g, '\n');
    expect(ackFields(await sendOne(hub.hl7Port, lf)).code).toBe('AA');

    const latin = seg(msh('ORM^O01', 'E2E-LATIN', '||||||8859/1'), 'PID|1||E2E-2^^^E2E^PI||LEFÈVRE^Zoé||19800101|F', 'ORC|NW|P-LATIN', 'OBR|1|P-LATIN||ZBQK002||||||||||||10003456789^LEGRAND^Paul');
    const c = await MllpConnection.open(hub.hl7Port);
    try {
      const bytes = Buffer.concat([Buffer.from('\r\n'), mllpFrame(Buffer.from(latin, 'latin1'))]);
      for (const part of [bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40)]) {
        c.write(part);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(ackFields((await c.waitAcks(1))[0]).code).toBe('AA');
    } finally {
      c.close();
    }
    expect(await requests('P-LATIN')).toEqual([expect.objectContaining({ patient_family_name: 'LEFÈVRE' })]);
  });

  it('loses nothing acknowledged when a peer disconnects mid-frame, and stores nothing unacknowledged', async () => {
    const c = await MllpConnection.open(hub.hl7Port);
    c.write(mllpFrame(order('E2E-BEFORE-CUT', 'P-BEFORE-CUT')));
    await c.waitAcks(1);
    const half = mllpFrame(order('E2E-CUT', 'P-CUT'));
    c.write(half.subarray(0, half.length / 2));
    await new Promise((r) => setTimeout(r, 100));
    c.close();
    expect(ackFields(await sendOne(hub.hl7Port, order('E2E-AFTER-CUT', 'P-AFTER-CUT'))).code).toBe('AA');
    expect((await rows('E2E-BEFORE-CUT')).map((r) => r.status)).toEqual(['applied']);
    expect(await rows('E2E-CUT')).toHaveLength(0);
    expect(await requests('P-BEFORE-CUT')).toHaveLength(1);
  });

  describe('ADT applied before the ACK', () => {
    const adt = (event: 'A08' | 'A40', controlId: string, ...segs: string[]) => seg(msh(`ADT^${event}^${event === 'A40' ? 'ADT_A39' : 'ADT_A01'}`, controlId), `EVN|${event}|20260115120000`, ...segs);
    const journal = async (controlId: string) =>
      (await hub.sql<{ status: string; ack_code: string; payload: { result: Record<string, unknown> } }>(`SELECT status, ack_code, payload FROM hl7_message WHERE control_id = $1`, [controlId]))[0];
    type RequestBody = { id: string; patient: Record<string, unknown> };
    const requestOf = async (placer: string) => ((await (await hub.api(`/requests?placerOrderNumber=${placer}`)).json()) as RequestBody[])[0];
    const qido = async (patientId: string) => {
      const res = await hub.api(`/dicomweb/studies?PatientID=${encodeURIComponent(patientId)}&includefield=00100010`);
      return res.status === 204 ? [] : ((await res.json()) as Record<string, { Value?: unknown[] }>[]);
    };
    /** What the indexer files for an image of this patient (the harness stands in for storescu + worker). */
    const catalogStudy = async (patientId: string, name: string, studyUid: string) => {
      const [p] = await hub.sql<{ id: string }>(
        `INSERT INTO patient (patient_id, issuer, name, birth_date, sex) VALUES ($1, 'E2E', $2, '19800101', 'F') ON CONFLICT (patient_id, issuer) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [patientId, name],
      );
      await hub.sql(`INSERT INTO study (study_uid, patient_fk, study_date, accession_number) VALUES ($1, $2, '20260110', $3)`, [studyUid, p.id, `ACC-${patientId}`]);
      return p.id;
    };
    /** What the scheduling activity publishes for the modality worklist. */
    const schedule = (requestId: string, accession: string) =>
      hub.sql(
        `INSERT INTO worklist_item (request_id, accession_number, study_instance_uid, requested_procedure_id, sps_id, site, ae_title, scheduled_at, procedure_code, patient, priority)
         SELECT id, $2, '1.2.826.0.1.3680043.10.543.' || length($2), $2, $2 || '-1', 'chu-nord', 'MODALITY1', now(), procedure_code, patient, priority FROM exam_request WHERE id = $1`,
        [requestId, accession],
      );

    it('A08 corrects the name on the request (GET /requests/{id}), its worklist item and the catalogue (QIDO)', async () => {
      const before = 'PID|1||A08-1^^^E2E^PI||AVANT^Nom||19800101|F';
      expect(ackFields(await sendOne(hub.hl7Port, order('E2E-A08-ORDER', 'P-A08', before))).code).toBe('AA');
      const { id } = await requestOf('P-A08');
      await schedule(id, 'ACC-A08');
      await catalogStudy('A08-1', 'AVANT^Nom', '1.2.826.0.1.3680043.10.543.801');

      const a08 = adt('A08', 'E2E-A08-1', 'PID|1||A08-1^^^E2E^PI||APRÈS^Zoé||19800102|F');
      expect(ackFields(await sendOne(hub.hl7Port, a08))).toMatchObject({ code: 'AA', controlId: 'E2E-A08-1' });

      const req = (await (await hub.api(`/requests/${id}`)).json()) as RequestBody;
      expect(req.patient).toMatchObject({ familyName: 'APRÈS', givenName: 'Zoé', birthDate: '19800102', identifiers: [{ value: 'A08-1', issuer: 'E2E' }] });
      expect(await hub.sql(`SELECT patient->>'familyName' AS family, patient->>'givenName' AS given FROM worklist_item WHERE request_id = $1`, [id])).toEqual([{ family: 'APRÈS', given: 'Zoé' }]);
      const [study] = await qido('A08-1');
      expect(study['00100010'].Value).toEqual([{ Alphabetic: 'APRÈS^Zoé' }]);
      expect(await journal('E2E-A08-1')).toMatchObject({ status: 'applied', ack_code: 'AA', payload: { result: { outcome: 'updated', requests: [id], worklistItems: 1, catalogPatients: 1 } } });

      // The same update again (a new MSH-10, as after a lost ACK) changes nothing more.
      expect(ackFields(await sendOne(hub.hl7Port, adt('A08', 'E2E-A08-2', 'PID|1||A08-1^^^E2E^PI||APRÈS^Zoé||19800102|F'))).code).toBe('AA');
      expect(await journal('E2E-A08-2')).toMatchObject({ status: 'applied', payload: { result: { outcome: 'unchanged', requests: [], catalogPatients: 0 } } });
    });

    it('A40 re-keys the request, its worklist item, the catalogue study and dose rows to the surviving patient, once', async () => {
      expect(ackFields(await sendOne(hub.hl7Port, order('E2E-A40-ORDER', 'P-A40', 'PID|1||OLD-40^^^E2E^PI||DOUBLON^Eve||19800101|F'))).code).toBe('AA');
      const { id } = await requestOf('P-A40');
      await schedule(id, 'ACC-A40');
      const studyUid = '1.2.826.0.1.3680043.10.543.4001';
      const priorFk = await catalogStudy('OLD-40', 'DOUBLON^Eve', studyUid);
      await hub.sql(`INSERT INTO dose_exam (study_uid, patient_fk, performed_at, dose_modality, source) VALUES ($1, $2, now(), 'CT', 'rdsr')`, [studyUid, priorFk]);
      expect((await qido('OLD-40')).length).toBe(1);

      const a40 = (controlId: string) => adt('A40', controlId, 'PID|1||NEW-40^^^E2E^PI||UNIQUE^Eve||19800101|F', 'MRG|OLD-40^^^E2E^PI');
      expect(ackFields(await sendOne(hub.hl7Port, a40('E2E-A40-1')))).toMatchObject({ code: 'AA', controlId: 'E2E-A40-1' });

      const req = await requestOf('P-A40');
      expect(req.patient).toMatchObject({ familyName: 'UNIQUE', identifiers: [{ value: 'NEW-40', issuer: 'E2E' }] });
      expect(await hub.sql(`SELECT patient_local_ids FROM exam_request WHERE id = $1`, [id])).toEqual([{ patient_local_ids: ['E2E|NEW-40'] }]);
      expect(await hub.sql(`SELECT patient->'identifiers'->0->>'value' AS pid FROM worklist_item WHERE request_id = $1`, [id])).toEqual([{ pid: 'NEW-40' }]);
      expect(await qido('OLD-40')).toEqual([]);
      const [moved] = await qido('NEW-40');
      expect(moved['0020000D'].Value).toEqual([studyUid]);
      expect(moved['00100010'].Value).toEqual([{ Alphabetic: 'UNIQUE^Eve' }]);
      expect(await hub.sql(`SELECT p.patient_id FROM dose_exam d JOIN patient p ON p.id = d.patient_fk WHERE d.study_uid = $1`, [studyUid])).toEqual([{ patient_id: 'NEW-40' }]);
      // The prior row had nothing left pointing at it: deleted.
      expect(await hub.sql(`SELECT id FROM patient WHERE patient_id = 'OLD-40'`)).toEqual([]);
      expect(await journal('E2E-A40-1')).toMatchObject({
        status: 'applied',
        payload: {
          result: {
            outcome: 'merged',
            merges: [{ requests: [id], worklistItems: 1, studies: [studyUid], doseRows: 1, priorPatients: [{ key: 'E2E|OLD-40', fate: 'deleted', survivor: 'E2E|NEW-40' }] }],
          },
        },
      });

      // Resent under a new MSH-10: nothing left to merge, nothing changes.
      expect(ackFields(await sendOne(hub.hl7Port, a40('E2E-A40-2'))).code).toBe('AA');
      expect(await journal('E2E-A40-2')).toMatchObject({ status: 'applied', payload: { result: { outcome: 'nothing to merge' } } });
      expect((await qido('NEW-40')).length).toBe(1);
    });

    it('keeps the prior catalogue patient when a table the merge does not re-key still references it', async () => {
      const priorFk = await catalogStudy('OLD-41', 'GARDE^Leo', '1.2.826.0.1.3680043.10.543.4101');
      // Stands for a future table keyed by patient that this merge does not know about.
      await hub.sql(`CREATE TABLE IF NOT EXISTS e2e_patient_note (patient_fk bigint NOT NULL REFERENCES patient(id))`);
      await hub.sql(`INSERT INTO e2e_patient_note VALUES ($1)`, [priorFk]);
      const a40 = adt('A40', 'E2E-A40-KEEP', 'PID|1||NEW-41^^^E2E^PI||GARDE^Leo', 'MRG|OLD-41^^^E2E^PI');
      expect(ackFields(await sendOne(hub.hl7Port, a40)).code).toBe('AA');
      expect(await journal('E2E-A40-KEEP')).toMatchObject({
        status: 'applied',
        payload: { result: { outcome: 'merged', merges: [{ studies: ['1.2.826.0.1.3680043.10.543.4101'], priorPatients: [{ key: 'E2E|OLD-41', fate: 'kept' }] }] } },
      });
      expect((await qido('NEW-41')).length).toBe(1);
      expect(await hub.sql(`SELECT patient_id FROM patient WHERE id = $1`, [priorFk])).toEqual([{ patient_id: 'OLD-41' }]);
    });

    it('answers AA to an A40 for a patient the hub never saw, recorded as nothing to merge', async () => {
      const a40 = adt('A40', 'E2E-A40-UNKNOWN', 'PID|1||NEVER-2^^^E2E^PI||INCONNU^Jean', 'MRG|NEVER-1^^^E2E^PI');
      expect(ackFields(await sendOne(hub.hl7Port, a40)).code).toBe('AA');
      expect(await journal('E2E-A40-UNKNOWN')).toMatchObject({ status: 'applied', payload: { result: { outcome: 'nothing to merge', merges: [{ requests: [], studies: [] }] } } });
      expect(await hub.sql(`SELECT id FROM patient WHERE patient_id IN ('NEVER-1', 'NEVER-2')`)).toEqual([]);
    });

    it('answers AE to an A40 that merges a patient into itself, and changes nothing', async () => {
      const ack = ackFields(await sendOne(hub.hl7Port, adt('A40', 'E2E-A40-SELF', 'PID|1||SELF-1^^^E2E^PI||SOI^Meme', 'MRG|SELF-1^^^E2E^PI')));
      expect(ack).toMatchObject({ code: 'AE', errCode: '102' });
      expect(ack.errLocation).toMatch(/^MRG\^1\^1/);
      expect(await journal('E2E-A40-SELF')).toMatchObject({ status: 'error', ack_code: 'AE' });
    });
  });
});
