import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertComplete, scanPart10 } from './dataset-scanner';
import { toInstanceRecord } from './index-record';
import { readPart10 } from './dicom-reader';
import { InvalidDicomError } from './dicom-errors';

const DATA = join(__dirname, '../../../../shared/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const files = [
  ...readdirSync(join(DATA, 'rdsr')).map((f) => join(DATA, 'rdsr', f)),
  ...readdirSync(join(DATA, 'images'))
    .filter((f) => f !== 'MG-Im-Hologic-PropProj.dcm')
    .map((f) => join(DATA, 'images', f)),
  ...['JPEG2000.dcm', 'MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm'].map((f) => join(PYDICOM, f)),
];

describe('assertComplete', () => {
  it.each(files)('accepts the complete file %s', (f) => {
    const buf = readFileSync(f);
    expect(() => readPart10(buf)).not.toThrow();
  });

  it.each(files.slice(0, 8))('refuses %s cut short anywhere in its last part', (f) => {
    const buf = readFileSync(f);
    for (const cut of [1, 2, 7, 100]) {
      if (cut >= buf.length - 200) continue;
      expect(() => assertComplete(buf.subarray(0, buf.length - cut))).toThrow(InvalidDicomError);
    }
  });
});

describe('scanPart10', () => {
  it.each(files)('extracts the same catalogue record as dcmjs from %s', (f) => {
    const buf = readFileSync(f);
    const fast = toInstanceRecord(scanPart10(buf).dataset);
    const slow = toInstanceRecord(readPart10(buf, { untilPixelData: true }).dataset);
    expect(fast).toEqual(slow);
  });

  it('refuses bytes that are not DICOM', () => {
    expect(() => scanPart10(Buffer.from('hello'))).toThrow(InvalidDicomError);
    const fake = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('garbage garbage garbage')]);
    expect(() => scanPart10(fake)).toThrow(InvalidDicomError);
  });
});
