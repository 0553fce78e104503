import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPart10 as readWithDcmjs } from '@krypton/dicom-codec';
import { extractDose } from './extract-dose';
import { readPart10 } from './part10-reader';

const DATA = join(__dirname, '../../../../shared/data');
const files = ['rdsr', 'images'].flatMap((d) =>
  readdirSync(join(DATA, d))
    .filter((f) => f !== 'MG-Im-Hologic-PropProj.dcm')
    .map((f) => join(DATA, d, f)),
);

/** The fast reader must give the dose library exactly what dcmjs's reader gives it. */
describe('one-pass reader vs dcmjs for dose extraction', () => {
  it.each(files)('%s', (file) => {
    const bytes = readFileSync(file);
    expect(extractDose(readPart10(bytes).dataset)).toEqual(extractDose(readWithDcmjs(bytes).dataset));
  });
});
