import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFileMetaHeader } from './file-meta';
import { scanPart10, splitPart10 } from './dataset-scanner';
import { compressLosslessVerified, decompressArchived, JPEG_LS_LOSSLESS, losslessTargetFor, nativePixels } from './transcode';
import { TS } from './uids';

const PET = join(__dirname, '../../../../shared/data/images/NM-PetIm-GE.dcm');

describe('archive compression', () => {
  it('keeps the Source AE the gateway wrote through the JPEG-LS copy and back, with the same pixels', async () => {
    const file = readFileSync(PET);
    const { body } = splitPart10(file);
    const ds = scanPart10(file).dataset;
    const stored = Buffer.concat([
      buildFileMetaHeader({ sopClassUid: ds.SOPClassUID as string, sopInstanceUid: ds.SOPInstanceUID as string, transferSyntaxUid: TS.ExplicitVRLittleEndian, sourceAeTitle: 'MODALITY1' }),
      body,
    ]);
    const compressed = await compressLosslessVerified(stored, TS.ExplicitVRLittleEndian);
    expect(compressed).not.toBeNull();
    expect(scanPart10(compressed!)).toMatchObject({ sourceAeTitle: 'MODALITY1', transferSyntaxUid: JPEG_LS_LOSSLESS, mediaSopInstanceUid: ds.SOPInstanceUID });
    const back = await decompressArchived(compressed!);
    expect(scanPart10(back)).toMatchObject({ sourceAeTitle: 'MODALITY1', transferSyntaxUid: TS.ExplicitVRLittleEndian });
    expect((await nativePixels(back, TS.ExplicitVRLittleEndian))!.equals((await nativePixels(stored, TS.ExplicitVRLittleEndian))!)).toBe(true);
  });
});

describe('losslessTargetFor', () => {
  it("takes the peer's first syntax the hub writes without loss, and none when all are lossy", () => {
    expect(losslessTargetFor(['1.2.840.10008.1.2.4.50', JPEG_LS_LOSSLESS, '1.2.840.10008.1.2.1'])).toBe(JPEG_LS_LOSSLESS);
    expect(losslessTargetFor(['1.2.840.10008.1.2'])).toBe('1.2.840.10008.1.2');
    expect(losslessTargetFor(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.91'])).toBeNull();
  });
});
