import { writePData } from './fast-pdata';

function capture() {
  const chunks: Buffer[] = [];
  return { chunks, socket: { write: (b: Buffer) => (chunks.push(Buffer.from(b)), true), cork: () => undefined, uncork: () => undefined } };
}

describe('writePData', () => {
  it('fragments command and data set into P-DATA-TF PDUs with the right control bits', () => {
    const { chunks, socket } = capture();
    const data = Buffer.alloc(25, 7);
    writePData(socket, 3, 16, Buffer.alloc(4, 1), data);
    const wire = Buffer.concat(chunks);
    const pdus: { len: number; pc: number; ctl: number; body: Buffer }[] = [];
    for (let o = 0; o < wire.length;) {
      expect(wire[o]).toBe(0x04);
      const len = wire.readUInt32BE(o + 2);
      const pdvLen = wire.readUInt32BE(o + 6);
      expect(pdvLen).toBe(len - 4);
      pdus.push({ len, pc: wire[o + 10], ctl: wire[o + 11], body: wire.subarray(o + 12, o + 6 + len) });
      o += 6 + len;
    }
    // max PDU 16 → 10 bytes of data per fragment: command (4) in one, data (25) in 10 + 10 + 5.
    expect(pdus.map((p) => [p.pc, p.ctl, p.body.length])).toEqual([
      [3, 0x03, 4],
      [3, 0x00, 10],
      [3, 0x00, 10],
      [3, 0x02, 5],
    ]);
    expect(Buffer.concat(pdus.slice(1).map((p) => p.body))).toEqual(data);
  });
});
