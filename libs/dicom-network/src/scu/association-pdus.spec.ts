import { associateRequest, parseAssociateAccept } from './association-pdus';
import { PduFramer, readPdvs } from '../pdu/pdu-framer';
import { storeContexts } from './direct-store';

/** An A-ASSOCIATE-AC body as a peer writes it: context 1 accepted in `ts`, context 3 refused, max PDU 16384. */
function acceptBody(ts: string): Buffer {
  const item = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 0, body.length >> 8, body.length & 0xff]), body]);
  const fixed = Buffer.alloc(68);
  const max = Buffer.alloc(4);
  max.writeUInt32BE(16384, 0);
  return Buffer.concat([
    fixed,
    item(0x10, Buffer.from('1.2.840.10008.3.1.1.1')),
    item(0x21, Buffer.concat([Buffer.from([1, 0, 0, 0]), item(0x40, Buffer.from(ts))])),
    item(0x21, Buffer.concat([Buffer.from([3, 0, 3, 0]), item(0x40, Buffer.from('1.2.840.10008.1.2'))])),
    item(0x50, item(0x51, max)),
  ]);
}

describe('association PDUs of the storage SCU', () => {
  it('proposes one context per class and stored syntax, the stored syntax first', () => {
    const contexts = storeContexts([
      { sopInstanceUid: '1', path: 'a', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxUid: '1.2.840.10008.1.2.1' },
      { sopInstanceUid: '2', path: 'b', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxUid: '1.2.840.10008.1.2.1' },
      { sopInstanceUid: '3', path: 'c', sopClassUid: '1.2.840.10008.5.1.4.1.1.4', transferSyntaxUid: '1.2.840.10008.1.2.4.80' },
    ])!;
    expect(contexts).toEqual([
      { id: 1, abstractSyntax: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] },
      { id: 3, abstractSyntax: '1.2.840.10008.5.1.4.1.1.4', transferSyntaxes: ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] },
    ]);
    const rq = associateRequest('KRYPTON', 'STORESCP', contexts, 65536);
    expect(rq[0]).toBe(0x01);
    expect(rq.readUInt32BE(2)).toBe(rq.length - 6);
    expect(rq.toString('latin1', 10, 26)).toBe('STORESCP        ');
    expect(rq.toString('latin1', 26, 42)).toBe('KRYPTON         ');
  });

  it('reads the accepted contexts (with their syntax) and the peer max PDU from an A-ASSOCIATE-AC', () => {
    const { accepted, maxPduLength } = parseAssociateAccept(acceptBody('1.2.840.10008.1.2.1\0'));
    expect([...accepted]).toEqual([[1, '1.2.840.10008.1.2.1']]);
    expect(maxPduLength).toBe(16384);
  });

  it('cuts a byte stream into PDUs across chunks, and P-DATA bodies into PDVs', () => {
    const pdv = Buffer.concat([Buffer.from([0, 0, 0, 5, 7, 0x03]), Buffer.from('abc')]);
    const pduBytes = Buffer.concat([Buffer.from([0x04, 0, 0, 0, 0, pdv.length]), pdv]);
    const framer = new PduFramer(() => 65536);
    framer.push(pduBytes.subarray(0, 4));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.concat([pduBytes.subarray(4), Buffer.from([0x06])]));
    const p = framer.next()!;
    expect(p.type).toBe(0x04);
    expect(readPdvs(p.body)).toEqual([{ presentationContextId: 7, isCommand: true, isLast: true, value: Buffer.from('abc') }]);
  });
});
