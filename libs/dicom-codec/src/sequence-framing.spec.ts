import { InvalidDicomError, SequenceDepthError } from './dicom-errors';
import { scanPart10 } from './dataset-scanner';
import { readPart10Fast } from './fast-reader';
import { buildFileMetaHeader } from './file-meta';
import { TS } from './uids';
import { el, marker } from './testing/raw-elements';

function part10(dataset: Buffer): Buffer {
  const meta = buildFileMetaHeader({ sopClassUid: '1.2.840.10008.5.1.4.1.1.88.67', sopInstanceUid: '1.2.3.4', transferSyntaxUid: TS.ExplicitVRLittleEndian });
  return Buffer.concat([meta, dataset]);
}

const sopInstance = el(0x0008, 0x0018, 'UI', Buffer.from('1.2.3.4\0', 'latin1'));
const valueType = el(0x0040, 0xa040, 'CS', Buffer.from('TEXT'));
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
    const file = part10(Buffer.concat([sopInstance, el(0x0040, 0xa730, 'SQ', content)]));
    for (const read of [scanPart10, readPart10Fast]) {
      expect(() => read(file)).toThrow(InvalidDicomError);
      expect(() => read(file)).toThrow(/malformed sequence \(0040,a730\): delimiter inside a defined length/);
    }
  });

  it('reads the same sequence with a defined length, and with an undefined one ended by its delimiter', () => {
    const defined = part10(Buffer.concat([sopInstance, el(0x0040, 0xa730, 'SQ', item)]));
    const content = Buffer.concat([item, marker(0xe0dd, 0)]);
    const undefinedLength = part10(Buffer.concat([sopInstance, el(0x0040, 0xa730, 'SQ', content, 0xffffffff)]));
    for (const file of [defined, undefinedLength]) {
      expect(() => scanPart10(file)).not.toThrow();
      expect(readPart10Fast(file).dataset.ContentSequence).toEqual([{ ValueType: 'TEXT' }]);
    }
  });

  it('refuses an element other than an item inside a sequence, in both readers', () => {
    const content = el(0x0040, 0xa040, 'CS', Buffer.from('TEXT'));
    const file = part10(Buffer.concat([sopInstance, el(0x0040, 0xa730, 'SQ', content)]));
    for (const read of [scanPart10, readPart10Fast]) expect(() => read(file)).toThrow(/where an item was expected/);
  });

  it('limits sequence nesting the same way in both readers', () => {
    let nested = item;
    for (let i = 0; i < 40; i++) {
      const seq = el(0x0040, 0xa730, 'SQ', nested);
      nested = Buffer.concat([marker(0xe000, seq.length), seq]);
    }
    const file = part10(Buffer.concat([sopInstance, el(0x0040, 0xa730, 'SQ', nested)]));
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
