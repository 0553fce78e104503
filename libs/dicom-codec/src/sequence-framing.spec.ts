import { InvalidDicomError, SequenceDepthError } from './dicom-errors';
import { scanPart10 } from './dataset-scanner';
import { readPart10Fast } from './fast-reader';
import { buildFileMetaHeader } from './file-meta';
import { TS } from './uids';

/** An explicit VR little endian element with a short (16-bit) length. */
function short(group: number, element: number, vr: string, value: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  h.writeUInt16LE(value.length, 6);
  return Buffer.concat([h, value]);
}

/** A sequence element of the given length, followed by its raw content. */
function sq(group: number, element: number, length: number, content: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write('SQ', 4, 'latin1');
  h.writeUInt32LE(length, 8);
  return Buffer.concat([h, content]);
}

/** An item, item delimiter or sequence delimiter: (FFFE,xxxx) and a 32-bit length. */
function marker(element: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(0xfffe, 0);
  b.writeUInt16LE(element, 2);
  b.writeUInt32LE(length, 4);
  return b;
}

function part10(dataset: Buffer): Buffer {
  const meta = buildFileMetaHeader({ sopClassUid: '1.2.840.10008.5.1.4.1.1.88.67', sopInstanceUid: '1.2.3.4', transferSyntaxUid: TS.ExplicitVRLittleEndian });
  return Buffer.concat([meta, dataset]);
}

const sopInstance = short(0x0008, 0x0018, 'UI', Buffer.from('1.2.3.4\0', 'latin1'));
const valueType = short(0x0040, 0xa040, 'CS', Buffer.from('TEXT'));
const item = Buffer.concat([marker(0xe000, valueType.length), valueType]);

/**
 * The catalogue scan and the natural data set once had an element loop each: the fast reader
 * took a sequence delimiter inside a defined-length sequence as the end of it, the scanner
 * refused it, and only the scanner limited nesting. Both now go through readElements, the
 * codec's one loop, with a different sink.
 */
describe('sequence framing, the same for both readers', () => {
  it('refuses a sequence delimiter inside a defined-length sequence', () => {
    const content = Buffer.concat([item, marker(0xe0dd, 0)]);
    const file = part10(Buffer.concat([sopInstance, sq(0x0040, 0xa730, content.length, content)]));
    for (const read of [scanPart10, readPart10Fast]) {
      expect(() => read(file)).toThrow(InvalidDicomError);
      expect(() => read(file)).toThrow(/malformed sequence \(0040,a730\): delimiter inside a defined length/);
    }
  });

  it('reads the same sequence with a defined length, and with an undefined one ended by its delimiter', () => {
    const defined = part10(Buffer.concat([sopInstance, sq(0x0040, 0xa730, item.length, item)]));
    const content = Buffer.concat([item, marker(0xe0dd, 0)]);
    const undefinedLength = part10(Buffer.concat([sopInstance, sq(0x0040, 0xa730, 0xffffffff, content)]));
    for (const file of [defined, undefinedLength]) {
      expect(() => scanPart10(file)).not.toThrow();
      expect(readPart10Fast(file).dataset.ContentSequence).toEqual([{ ValueType: 'TEXT' }]);
    }
  });

  it('refuses an element other than an item inside a sequence, in both readers', () => {
    const content = short(0x0040, 0xa040, 'CS', Buffer.from('TEXT'));
    const file = part10(Buffer.concat([sopInstance, sq(0x0040, 0xa730, content.length, content)]));
    for (const read of [scanPart10, readPart10Fast]) expect(() => read(file)).toThrow(/where an item was expected/);
  });

  it('limits sequence nesting the same way in both readers', () => {
    let nested = item;
    for (let i = 0; i < 40; i++) {
      const seq = sq(0x0040, 0xa730, nested.length, nested);
      nested = Buffer.concat([marker(0xe000, seq.length), seq]);
    }
    const file = part10(Buffer.concat([sopInstance, sq(0x0040, 0xa730, nested.length, nested)]));
    for (const read of [scanPart10, readPart10Fast]) expect(() => read(file)).toThrow(SequenceDepthError);
  });

  it('reads a UN sequence of undefined length as implicit VR little endian (CP-246) in both readers', () => {
    const implicitItem = Buffer.alloc(8 + 4);
    implicitItem.writeUInt16LE(0x0040, 0);
    implicitItem.writeUInt16LE(0xa040, 2);
    implicitItem.writeUInt32LE(4, 4);
    implicitItem.write('TEXT', 8, 'latin1');
    const content = Buffer.concat([marker(0xe000, implicitItem.length), implicitItem, marker(0xe0dd, 0)]);
    const h = Buffer.alloc(12);
    h.writeUInt16LE(0x0040, 0);
    h.writeUInt16LE(0xa730, 2);
    h.write('UN', 4, 'latin1');
    h.writeUInt32LE(0xffffffff, 8);
    const file = part10(Buffer.concat([sopInstance, h, content]));
    expect(() => scanPart10(file)).not.toThrow();
    expect(readPart10Fast(file).dataset.ContentSequence).toEqual([{ ValueType: 'TEXT' }]);
  });
});
