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
  // Only the gateway: orders become exam_request rows and pathway workflows in Temporal, which
  // wait for a worker that this suite does not need.
  const hub = new Hub({ name: 'hl7', redisDb: 6, env: { HL7_MAX_MESSAGE_BYTES: String(LIMIT) } });

  beforeAll(async () => {
    await hub.start(['hl7-gateway']);
    await waitFor(`hl7-gateway listening (logs in ${hub.dir})`, async () => {
      const c = await MllpConnection.open(hub.hl7Port);
      c.close();
      return true;
    }, 30_000, 200);
  });

  afterAll(async () => {
    await hub.stop();
  });

  const rows = (controlId: string) =>
    hub.sql<{ id: string; status: string; ack_code: string; error_code: number | null }>(`SELECT id, status, ack_code, error_code FROM hl7_message WHERE control_id = $1 ORDER BY id`, [controlId]);
  const requests = (placer: string) => hub.sql<{ id: string; placer_system: string; procedure_unmapped: boolean; patient_family_name: string }>(`SELECT * FROM exam_request WHERE placer_order_number = $1`, [placer]);

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
});
