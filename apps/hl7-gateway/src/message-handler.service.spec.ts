import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '@krypton/config';
import { AdtMessage, Hl7Error, compileAckTemplate, parseHl7, Hl7MessageStore, MessageOutcome, ReceivedMessage } from '@krypton/hl7';
import type { NewRequest } from '@krypton/pathway';
import type { AdtResult } from '@krypton/patient-identity';
import { PatientSink } from './adt/patient-sink';
import { MessageHandler } from './message-handler.service';
import { MllpFrame } from './mllp/mllp-framer';
import { OrderChange, OrderSink } from './orders/order-sink';

const ROOT = join(__dirname, '../../..');
const render = compileAckTemplate(readFileSync(join(ROOT, 'config/hl7/ack.hbs'), 'utf8'));
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/hl7', name));
const message = (bytes: Buffer | string): MllpFrame => ({ kind: 'message', bytes: Buffer.from(bytes) });

/** The journal's contract in memory: receipts, outcomes, one applied receipt per sender + MSH-10. */
class MemoryJournal {
  rows: (ReceivedMessage & Partial<MessageOutcome> & { id: string })[] = [];
  failReceive = false;
  async receive(m: ReceivedMessage): Promise<string> {
    if (this.failReceive) throw new Error('database down');
    const id = String(this.rows.length + 1);
    this.rows.push({ ...m, id });
    return id;
  }
  async findAccepted(h: { sendingApplication: string; sendingFacility: string; controlId: string }): Promise<string | null> {
    const r = this.rows.find((x) => x.header.controlId === h.controlId && x.header.sendingApplication === h.sendingApplication && (x.status === 'applied' || x.status === 'pending'));
    return r?.id ?? null;
  }
  async filedAdt() {
    return this.rows.filter((r) => r.status === 'pending').map((r) => ({ id: r.id, raw: r.raw }));
  }
  async finish(id: string, o: MessageOutcome): Promise<void> {
    Object.assign(
      this.rows.find((r) => r.id === id)!,
      o,
    );
  }
}

class MemorySink implements OrderSink {
  created: NewRequest[] = [];
  async create(r: NewRequest) {
    const known = this.created.findIndex((x) => x.placerOrderNumber === r.placerOrderNumber && x.placerSystem === r.placerSystem);
    if (known === -1) this.created.push(r);
    return { id: `req-${r.placerOrderNumber}`, created: known === -1 };
  }
  async cancel(_s: string, n: string) {
    return { id: `req-${n}`, cancelled: true };
  }
  changes: { n: string; change: OrderChange }[] = [];
  async change(_s: string, n: string, change: OrderChange) {
    this.changes.push({ n, change });
    return { id: `req-${n}` };
  }
}

class MemoryPatients implements PatientSink {
  applied: AdtMessage[] = [];
  async apply(m: AdtMessage): Promise<AdtResult> {
    this.applied.push(m);
    return { outcome: 'nothing to merge', merges: [] };
  }
}

const logger = { setContext: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined } as any;

function setup() {
  const cfg = configSchema.parse({ hl7: { maxMessageBytes: 2048 } });
  const journal = new MemoryJournal();
  const sink = new MemorySink();
  const patients = new MemoryPatients();
  const handler = new MessageHandler(cfg, render, sink, patients, journal as unknown as Hl7MessageStore, logger);
  const ack = async (f: MllpFrame) => {
    const a = parseHl7(await handler.handle(f, '127.0.0.1:1'));
    return { code: a.first('MSA')!.value(1), controlId: a.first('MSA')!.value(2), err: a.first('ERR'), text: a.first('MSA')!.value(3) };
  };
  return { journal, sink, patients, handler, ack };
}

describe('MessageHandler', () => {
  it('applies each ORC/OBR group and answers AA with MSA-2 = MSH-10', async () => {
    const { journal, sink, ack } = setup();
    expect(await ack(message(fixture('orm-o01-two-exams.hl7')))).toMatchObject({ code: 'AA', controlId: 'ORM-0001' });
    expect(sink.created.map((r) => r.placerOrderNumber)).toEqual(['CMD-1001', 'CMD-1002']);
    expect(journal.rows[0]).toMatchObject({
      status: 'applied',
      ackCode: 'AA',
      payload: { orders: [expect.objectContaining({ id: 'req-CMD-1001' }), expect.objectContaining({ id: 'req-CMD-1002' })] },
    });
  });

  it('answers a resent MSH-10 with AA without applying it again', async () => {
    const { journal, sink, ack } = setup();
    await ack(message(fixture('omi-o23-tq1.hl7')));
    const created = sink.created.length;
    sink.create = jest.fn();
    expect(await ack(message(fixture('omi-o23-tq1.hl7')))).toMatchObject({ code: 'AA', controlId: 'OMI-0001' });
    expect(sink.create).not.toHaveBeenCalled();
    expect(created).toBe(1);
    expect(journal.rows.map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect(journal.rows[1].duplicateOf).toBe('1');
  });

  it('answers AE naming PID when an order has no patient, and applies ADT before answering AA', async () => {
    const { journal, patients, ack } = setup();
    const noPid = fixture('orm-o01-two-exams.hl7')
      .toString()
      .replace(/^PID.*\n/m, '');
    const r = await ack(message(noPid));
    expect(r.code).toBe('AE');
    expect(r.err!.value(3)).toBe('101');
    expect(r.err!.value(2)).toBe('PID');
    expect(await ack(message(fixture('adt-a40-merge.hl7')))).toMatchObject({ code: 'AA' });
    expect(patients.applied).toEqual([expect.objectContaining({ kind: 'patient-merge' })]);
    expect(journal.rows.map((x) => x.status)).toEqual(['error', 'applied']);
    expect(journal.rows[1].payload).toMatchObject({ adt: { kind: 'patient-merge' }, result: { outcome: 'nothing to merge' } });
  });

  it('applies ADT that an earlier gateway filed pending, in order, and records a wrong one as error', async () => {
    const { journal, patients, handler } = setup();
    const header = { controlId: 'OLD', sendingApplication: 'DPI', sendingFacility: 'CHU-NORD' };
    journal.rows.push({ id: '1', peer: 'p', header, raw: fixture('adt-a40-merge.hl7'), size: 1, truncated: false, status: 'pending', ackCode: 'AA' });
    const noMrg = fixture('adt-a40-merge.hl7')
      .toString()
      .replace(/^MRG.*$/m, '');
    journal.rows.push({ id: '2', peer: 'p', header, raw: Buffer.from(noMrg), size: 1, truncated: false, status: 'pending', ackCode: 'AA' });
    expect(await handler.applyFiledAdt()).toBe(1);
    expect(patients.applied).toHaveLength(1);
    expect(journal.rows.map((r) => [r.status, r.ackCode])).toEqual([
      ['applied', 'AA'],
      ['error', 'AA'],
    ]);
    expect(await handler.applyFiledAdt()).toBe(0);
  });

  it('answers AE when the ADT is wrong, AR when applying it fails on the hub side, and records both', async () => {
    const { journal, patients, ack } = setup();
    patients.apply = jest
      .fn()
      .mockRejectedValueOnce(new Hl7Error(102, 'MRG-1 names the surviving patient itself', { segment: 'MRG', field: 1 }))
      .mockRejectedValueOnce(new Error('deadlock detected'));
    expect(await ack(message(fixture('adt-a40-merge.hl7')))).toMatchObject({ code: 'AE', text: 'MRG-1 names the surviving patient itself' });
    expect(await ack(message(fixture('adt-a40-merge.hl7')))).toMatchObject({ code: 'AR' });
    expect(journal.rows.map((x) => [x.status, x.error?.where])).toEqual([
      ['error', 'MRG-1'],
      ['rejected', undefined],
    ]);
  });

  it('rejects (AR) an unsupported type, an oversized frame naming the limit, and a journal failure', async () => {
    const { journal, ack } = setup();
    const oru = 'MSH|^~\\&|LAB|CHU|K|R|2026||ORU^R01|X1|P|2.5\rPID|1';
    expect(await ack(message(oru))).toMatchObject({ code: 'AR', controlId: 'X1' });
    const big = await ack({ kind: 'oversized', head: Buffer.from('MSH|^~\\&|LAB|CHU|K|R|2026||ORM^O01|BIG|P|2.5'), size: 5000 });
    expect(big).toMatchObject({ code: 'AR', controlId: 'BIG' });
    expect(big.text).toContain('2048 bytes');
    expect(journal.rows[1]).toMatchObject({ truncated: true, size: 5000, status: 'rejected' });
    journal.failReceive = true;
    expect(await ack(message(fixture('omi-o23-tq1.hl7')))).toMatchObject({ code: 'AR', controlId: 'OMI-0001' });
  });

  it('accepts a message whose segments end with LF', async () => {
    const { ack } = setup();
    expect(fixture('omi-o23-tq1.hl7').includes('\r')).toBe(false);
    expect((await ack(message(fixture('omi-o23-tq1.hl7')))).code).toBe('AA');
  });

  it('answers AR when applying fails on the hub side, and applies on the resend', async () => {
    const { journal, sink, ack } = setup();
    const create = sink.create.bind(sink);
    sink.create = jest.fn().mockRejectedValueOnce(new Error('temporal unavailable')).mockImplementation(create);
    expect((await ack(message(fixture('omi-o23-tq1.hl7')))).code).toBe('AR');
    expect((await ack(message(fixture('omi-o23-tq1.hl7')))).code).toBe('AA');
    expect(journal.rows.map((r) => r.status)).toEqual(['rejected', 'applied']);
  });
});
