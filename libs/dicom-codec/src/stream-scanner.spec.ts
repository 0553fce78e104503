import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDicomError } from './dicom-errors';
import { scanPart10, splitPart10 } from './dataset-scanner';
import { buildFileMetaHeader } from './file-meta';
import { Part10StreamScanner } from './stream-scanner';
import { TS } from './uids';
import { el, marker, textValue as text, UNDEFINED_LENGTH as UNDEFINED, uidValue as uid } from './testing/raw-elements';

const DATA = join(__dirname, '../../../../shared/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const files = [
  ...readdirSync(join(DATA, 'rdsr')).map((f) => join(DATA, 'rdsr', f)),
  ...readdirSync(join(DATA, 'images'))
    .filter((f) => f !== 'MG-Im-Hologic-PropProj.dcm') // malformed: the whole-object scan refuses it too
    .map((f) => join(DATA, 'images', f)),
  ...['JPEG2000.dcm', 'MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm', 'CT_small.dcm', 'MR_small_expb.dcm', 'MR_small_padded.dcm', 'MR_small_jpeg_ls_lossless.dcm'].map((f) =>
    join(PYDICOM, f),
  ),
];

/** A CT-like object: header, an undefined-length sequence, pixel data (native or encapsulated), trailing padding. */
function synthetic(opts: { encapsulated: boolean; pixelBytes: number }): { meta: Buffer; dataset: Buffer; file: Buffer } {
  const ts = opts.encapsulated ? '1.2.840.10008.1.2.4.50' : TS.ExplicitVRLittleEndian;
  const meta = buildFileMetaHeader({ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.2.3.4.5', transferSyntaxUid: ts });
  const codeItem = Buffer.concat([el(0x0008, 0x0100, 'SH', text('CT123')), el(0x0008, 0x0102, 'SH', text('LOCAL'))]);
  const pixels = Buffer.alloc(opts.pixelBytes, 0x5a);
  const half = pixels.length / 2;
  const pixelData = opts.encapsulated
    ? Buffer.concat([
        el(0x7fe0, 0x0010, 'OB', Buffer.alloc(0), UNDEFINED),
        marker(0xe000, 0),
        marker(0xe000, half),
        pixels.subarray(0, half),
        marker(0xe000, half),
        pixels.subarray(half),
        marker(0xe0dd, 0),
      ])
    : el(0x7fe0, 0x0010, 'OW', pixels);
  const dataset = Buffer.concat([
    el(0x0008, 0x0016, 'UI', uid('1.2.840.10008.5.1.4.1.1.2')),
    el(0x0008, 0x0018, 'UI', uid('1.2.3.4.5')),
    el(0x0008, 0x0060, 'CS', text('CT')),
    // Procedure Code Sequence, undefined length with an undefined-length item.
    el(0x0008, 0x1032, 'SQ', Buffer.alloc(0), UNDEFINED),
    marker(0xe000, UNDEFINED),
    codeItem,
    marker(0xe00d, 0),
    marker(0xe0dd, 0),
    el(0x0010, 0x0010, 'PN', text('DOE^JANE')),
    el(0x0010, 0x0020, 'LO', text('P123')),
    el(0x0020, 0x000d, 'UI', uid('1.2.3')),
    el(0x0020, 0x000e, 'UI', uid('1.2.3.1')),
    el(0x0020, 0x0013, 'IS', text('7')),
    // A private value longer than the kept limit, before the pixel data.
    el(0x0029, 0x1010, 'OB', Buffer.alloc(100_000, 1)),
    pixelData,
    el(0xfffc, 0xfffc, 'OB', Buffer.alloc(4)),
  ]);
  return { meta, dataset, file: Buffer.concat([meta, dataset]) };
}

/** Feeds the data set in pieces of the given sizes (cycled), as PDVs would bring it. */
function stream(meta: Buffer, ts: string, dataset: Buffer, sizes: number[]): Part10StreamScanner {
  const s = new Part10StreamScanner(meta, ts);
  let off = 0;
  for (let i = 0; off < dataset.length; i++) {
    const n = sizes[i % sizes.length];
    s.push(dataset.subarray(off, off + n));
    off += n;
  }
  return s;
}

const CUTS = [[7], [13, 5, 1], [16378], [Number.MAX_SAFE_INTEGER]];

function parts(file: Buffer): { meta: Buffer; ts: string; dataset: Buffer } {
  const { transferSyntaxUid, body } = splitPart10(file);
  return { meta: file.subarray(0, file.length - body.length), ts: transferSyntaxUid, dataset: body };
}

describe('Part10StreamScanner', () => {
  it.each(files)('reads %s in any cut as the whole-object scan does', (f) => {
    const file = readFileSync(f);
    const { meta, ts, dataset } = parts(file);
    const whole = scanPart10(file);
    for (const sizes of CUTS) expect(stream(meta, ts, dataset, sizes).end()).toEqual(whole);
  });

  it.each([false, true])('keeps only the header of an object with large pixel data (encapsulated: %s)', (encapsulated) => {
    const { meta, dataset, file } = synthetic({ encapsulated, pixelBytes: 4_000_000 });
    const whole = scanPart10(file);
    expect(whole.dataset.Modality).toBe('CT');
    for (const sizes of CUTS) {
      const s = stream(meta, splitPart10(file).transferSyntaxUid, dataset, sizes);
      expect(s.end()).toEqual(whole);
      expect(s.bytes).toBe(dataset.length);
      // The header and the sequence, not the 100 kB private value or the 4 MB of pixels.
      expect(s.retainedBytes).toBeLessThan(2048);
    }
  });

  it.each([false, true])('refuses the object cut short anywhere the whole-object scan does (encapsulated: %s)', (encapsulated) => {
    const { meta, dataset, file } = synthetic({ encapsulated, pixelBytes: 2000 });
    const ts = splitPart10(file).transferSyntaxUid;
    let refused = 0;
    for (let cut = 1; cut < dataset.length; cut++) {
      const part = dataset.subarray(0, dataset.length - cut);
      const s = stream(meta, ts, part, [97]);
      let whole: unknown;
      try {
        whole = scanPart10(Buffer.concat([meta, part]));
      } catch {
        expect(() => s.end()).toThrow(InvalidDicomError);
        refused++;
        continue;
      }
      // Cut at an element boundary: a shorter object, whole.
      expect(s.end()).toEqual(whole);
    }
    expect(refused).toBeGreaterThan(dataset.length - 40);
  });

  it('refuses what the whole-object scan refuses, with the same message', () => {
    const { meta, dataset, file } = synthetic({ encapsulated: true, pixelBytes: 2000 });
    // A sequence delimiter where the first pixel data item is expected.
    const at = dataset.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])) + 12;
    const bad = Buffer.from(dataset);
    bad.writeUInt16LE(0x1234, at + 2);
    const badFile = Buffer.concat([meta, bad]);
    expect(() => scanPart10(badFile)).toThrow(/where an item was expected/);
    expect(() => stream(meta, splitPart10(file).transferSyntaxUid, bad, [50]).end()).toThrow(/where an item was expected/);
  });
});
