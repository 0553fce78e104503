import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertComplete } from './completeness';
import { readPart10 } from './dicom-reader';
import { InvalidDicomError } from './dicom-errors';

const DATA = join(__dirname, '../../../../shared/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const files = [
  ...readdirSync(join(DATA, 'rdsr')).map((f) => join(DATA, 'rdsr', f)),
  ...readdirSync(join(DATA, 'images')).filter((f) => f !== 'MG-Im-Hologic-PropProj.dcm').map((f) => join(DATA, 'images', f)),
  ...['JPEG2000.dcm', 'MR_small_RLE.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm'].map((f) => join(PYDICOM, f)),
];

describe('assertComplete', () => {
  it.each(files)('accepts the complete file %s', (f) => {
    const buf = readFileSync(f);
    expect(() => readPart10(buf)).not.toThrow();
  });

  it.each(files.slice(0, 8))('refuses %s cut short anywhere in its last part', (f) => {
    const buf = readFileSync(f);
    const ts = readPart10(buf, { untilPixelData: true }).meta.TransferSyntaxUID;
    for (const cut of [1, 2, 7, 100]) {
      if (cut >= buf.length - 200) continue;
      expect(() => assertComplete(buf.subarray(0, buf.length - cut), ts)).toThrow(InvalidDicomError);
    }
  });
});
