import { InvalidDicomError } from '@krypton/dicom-codec';
import { StorageFullError } from '@krypton/storage';
import { DicomwebUrls } from './dicomweb-urls';
import { failureReason, stowResponse, StudyMismatchError, UnsupportedTransferSyntaxError } from './stow-response';

const urls = new DicomwebUrls('http://hub');
const ok = { ok: true as const, studyUid: '1.1', seriesUid: '1.1.1', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '1.1.1.1' };
const bad = { ok: false as const, reason: 0xc000, message: 'unreadable' };

describe('stowResponse', () => {
  it('answers 200 with the referenced instances when all were stored', () => {
    const r = stowResponse([ok], urls);
    expect(r.status).toBe(200);
    expect(r.body['00081190'].Value).toEqual(['http://hub/dicomweb/studies/1.1']);
    expect((r.body['00081199'].Value![0] as any)['00081190'].Value).toEqual(['http://hub/dicomweb/studies/1.1/series/1.1.1/instances/1.1.1.1']);
    expect(r.body['00081198']).toBeUndefined();
  });

  it('answers 202 when some failed and 409 when all failed', () => {
    const some = stowResponse([ok, bad], urls);
    expect(some.status).toBe(202);
    expect((some.body['00081198'].Value![0] as any)['00081197']).toEqual({ vr: 'US', Value: [0xc000] });
    expect(some.warnings[0]).toMatch(/unreadable \(0xC000\)/);
    expect(stowResponse([bad], urls).status).toBe(409);
  });

  it('maps ingest failures to failure reasons', () => {
    expect(failureReason(new InvalidDicomError('x'))).toBe(0xc000);
    expect(failureReason(new StudyMismatchError('1', '2'))).toBe(0xa900);
    expect(failureReason(new StorageFullError(0))).toBe(0xa700);
    expect(failureReason(new UnsupportedTransferSyntaxError('1.2.840.10008.1.2.4.90'))).toBe(0xc122);
    expect(failureReason(new Error('?'))).toBe(0x0110);
  });
});
