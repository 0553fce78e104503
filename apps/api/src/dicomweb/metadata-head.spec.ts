import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10, readPart10Head } from '@krypton/dicom-codec';
import { DcmjsDict, toDicomJson } from './dicom-json';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const policy = { inlineMaxBytes: 1024, uriFor: (p: readonly string[]) => `bulk/${p.join('.')}` };
const json = (dict: unknown) => toDicomJson(dict as DcmjsDict, policy);

/** WADO-RS metadata read from a file's first bytes is the metadata of the whole file. */
describe('readPart10Head (metadata from the bytes before the pixel data)', () => {
  it.each(['liver_1frame.dcm', 'SC_rgb_small_odd.dcm', 'SC_ybr_full_422_uncompressed.dcm', 'MR_small_implicit.dcm', 'rtdose_1frame.dcm', 'MR_small_bigendian.dcm'])(
    '%s: the same DICOM JSON as the whole file, from a head that reaches the pixel data',
    (name) => {
      const file = readFileSync(join(PYDICOM, name));
      const whole = json(readPart10(file).dict);
      expect(whole['7FE00010']).toBeDefined();
      for (const headBytes of [file.length, Math.min(file.length, 8192)]) {
        const head = readPart10Head(file.subarray(0, headBytes), file.length);
        expect(head).not.toBeNull();
        expect(json(head!.dict)).toEqual(whole);
      }
    },
  );

  it('gives up (null) when the head ends before the pixel data, or the pixel data is encapsulated, deflated, or not last', () => {
    const liver = readFileSync(join(PYDICOM, 'liver_1frame.dcm'));
    expect(readPart10Head(liver.subarray(0, 600), liver.length)).toBeNull();
    // The same bytes followed by something else: the pixel data no longer ends the file.
    expect(readPart10Head(liver, liver.length + 10)).toBeNull();
    // Data Set Trailing Padding after the pixel data (CT_small, MR_small): read whole.
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm', 'image_dfl.dcm']) {
      const f = readFileSync(join(PYDICOM, name));
      expect(readPart10Head(f, f.length)).toBeNull();
    }
  });
});
