import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFileMetaHeader } from './file-meta';
import { readPart10 } from './dicom-reader';
import { toInstanceRecord } from './index-record';
import { InvalidDicomError, MissingAttributeError } from './dicom-errors';

const DATA = join(__dirname, '../../../../shared/data');

/** Splits a Part 10 file into its data set bytes, the way they arrive over DIMSE. */
function datasetBytes(file: Buffer): { body: Buffer; ts: string } {
  const parsed = readPart10(file, { untilPixelData: true });
  const groupLength = file.readUInt32LE(128 + 4 + 8);
  return { body: file.subarray(128 + 4 + 12 + groupLength), ts: parsed.meta.TransferSyntaxUID };
}

describe('file meta header + reader', () => {
  const file = readFileSync(join(DATA, 'images/CT-SC-Philips_Brilliance16P.dcm'));

  it('re-wraps a received data set byte for byte', () => {
    const { body, ts } = datasetBytes(file);
    const ds = readPart10(file).dataset;
    const header = buildFileMetaHeader({ sopClassUid: ds.SOPClassUID, sopInstanceUid: ds.SOPInstanceUID, transferSyntaxUid: ts, sourceAeTitle: 'MODALITY1' });
    const rebuilt = Buffer.concat([header, body]);
    const again = readPart10(rebuilt);
    expect(again.meta.SourceApplicationEntityTitle).toBe('MODALITY1');
    expect(again.meta.TransferSyntaxUID).toBe(ts);
    expect(again.dataset.SOPInstanceUID).toBe(ds.SOPInstanceUID);
    expect(rebuilt.subarray(header.length).equals(body)).toBe(true);
  });

  it('refuses a truncated object', () => {
    const cut = file.subarray(0, file.length - 1000);
    expect(() => readPart10(cut)).toThrow(InvalidDicomError);
  });

  it('extracts the catalogue record', () => {
    const rec = toInstanceRecord(readPart10(file, { untilPixelData: true }).dataset);
    expect(rec.studyUid).toMatch(/^1\.[0-9.]+$/);
    expect(rec.modality).toBe('CT');
    expect(rec.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.7');
  });

  it('requires the hierarchy UIDs', () => {
    const ds = { ...readPart10(file, { untilPixelData: true }).dataset, SeriesInstanceUID: '1.02.3' };
    expect(() => toInstanceRecord(ds)).toThrow(MissingAttributeError);
  });
});
