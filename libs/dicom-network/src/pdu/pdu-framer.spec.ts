import { MalformedPdvError, PduFramer, PduTooLongError, PduType, readPdvs, UnknownPduTypeError } from './pdu-framer';

const pdu = (type: number, body: Buffer) => {
  const h = Buffer.alloc(6);
  h[0] = type;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
};
const drain = (f: PduFramer, ...chunks: Buffer[]) => {
  const out = [];
  for (const c of chunks) {
    f.push(c);
    for (let p = f.next(); p; p = f.next()) out.push(p);
  }
  return out;
};
const pdv = (pc: number, flags: number, value: Buffer) => {
  const h = Buffer.alloc(6);
  h.writeUInt32BE(value.length + 2, 0);
  h[4] = pc;
  h[5] = flags;
  return Buffer.concat([h, value]);
};

describe('PduFramer', () => {
  it('cuts PDUs however the stream is split, and returns views when a PDU lies in one chunk', () => {
    const a = pdu(PduType.PDataTf, Buffer.alloc(1000, 1));
    const b = pdu(PduType.ReleaseRq, Buffer.alloc(4));
    const stream = Buffer.concat([a, b]);
    for (const cut of [1, 3, 6, 7, 500, 1006, 1007, 1010]) {
      const f = new PduFramer(() => 1 << 20);
      const out = drain(f, stream.subarray(0, cut), stream.subarray(cut));
      expect(out.map((p) => [p.type, p.body.length])).toEqual([
        [4, 1000],
        [5, 4],
      ]);
      expect(Buffer.compare(out[0].raw, a)).toBe(0);
    }
    const whole = drain(new PduFramer(() => 1 << 20), stream);
    expect(whole[0].raw.buffer).toBe(stream.buffer);
  });

  it('refuses a length beyond the limit as soon as the header is in, before buffering the body', () => {
    const f = new PduFramer((type) => (type === PduType.AssociateRq ? 100 : 10));
    const header = Buffer.from([PduType.AssociateRq, 0, 0x40, 0, 0, 0]);
    f.push(header);
    expect(() => f.next()).toThrow(PduTooLongError);
  });

  it('checks each header against the limit of the moment, one PDU at a time', () => {
    let limit = 10;
    const f = new PduFramer(() => limit);
    f.push(Buffer.concat([pdu(PduType.AssociateRq, Buffer.alloc(8)), pdu(PduType.PDataTf, Buffer.alloc(50))]));
    expect(f.next()?.type).toBe(PduType.AssociateRq);
    limit = 100;
    expect(f.next()?.body.length).toBe(50);
  });

  it('refuses bytes that are no PDU', () => {
    const f = new PduFramer(() => 100);
    f.push(Buffer.from('GET / HTTP/1.1\r\n'));
    expect(() => f.next()).toThrow(UnknownPduTypeError);
  });
});

describe('readPdvs', () => {
  it('splits PDV items with their context, command and last flags, without copying', () => {
    const body = Buffer.concat([pdv(1, 3, Buffer.from('cmd')), pdv(3, 0, Buffer.from('data1')), pdv(3, 2, Buffer.from('data2'))]);
    const items = readPdvs(body);
    expect(items.map((i) => [i.presentationContextId, i.isCommand, i.isLast, i.value.toString()])).toEqual([
      [1, true, true, 'cmd'],
      [3, false, false, 'data1'],
      [3, false, true, 'data2'],
    ]);
    expect(items[1].value.buffer).toBe(body.buffer);
  });

  it('refuses items that overrun the PDU', () => {
    const bad = pdv(1, 3, Buffer.from('abc'));
    bad.writeUInt32BE(100, 0);
    expect(() => readPdvs(bad)).toThrow(MalformedPdvError);
  });
});
