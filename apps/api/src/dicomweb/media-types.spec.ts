import { NotAcceptableError } from './dicomweb-errors';
import { negotiateBulk, negotiateFrames, negotiateInstances, negotiateJson, parseAccept } from './media-types';

const ELE = '1.2.840.10008.1.2.1';
const J2K = '1.2.840.10008.1.2.4.90';
const JPEG = '1.2.840.10008.1.2.4.50';

describe('media type negotiation', () => {
  it('parses quoted parameters and q values', () => {
    expect(parseAccept('multipart/related; type="application/dicom"; transfer-syntax=*, application/json;q=0.5, text/html;q=0')).toEqual([
      { type: 'multipart/related', params: { type: 'application/dicom', 'transfer-syntax': '*' }, q: 1 },
      { type: 'application/json', params: {}, q: 0.5 },
    ]);
  });

  it('answers DICOM JSON to JSON, */* and no Accept, and refuses XML', () => {
    expect(negotiateJson(undefined)).toBe('application/dicom+json');
    expect(negotiateJson('*/*')).toBe('application/dicom+json');
    expect(negotiateJson('application/json')).toBe('application/json');
    expect(() => negotiateJson('multipart/related; type="application/dicom+xml"')).toThrow(NotAcceptableError);
  });

  it('sends instances as stored unless a different transfer syntax is demanded', () => {
    expect(() => negotiateInstances('multipart/related; type="application/dicom"; transfer-syntax=*', [J2K])).not.toThrow();
    expect(() => negotiateInstances('multipart/related; type="application/dicom"', [J2K])).not.toThrow();
    expect(() => negotiateInstances(`multipart/related; type="application/dicom"; transfer-syntax=${ELE}`, [ELE, ELE])).not.toThrow();
    expect(negotiateInstances(`multipart/related; type="application/dicom"; transfer-syntax=${ELE}`, [ELE, J2K])).toBe(ELE);
    expect(negotiateInstances('multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.80', [ELE])).toBe('1.2.840.10008.1.2.4.80');
    expect(() => negotiateInstances(`multipart/related; type="application/dicom"; transfer-syntax=${JPEG}`, [ELE])).toThrow(NotAcceptableError);
    expect(() => negotiateInstances('application/dicom+json', [ELE])).toThrow(NotAcceptableError);
  });

  it('labels frames with their transfer syntax', () => {
    const ohif = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
    expect(negotiateFrames(ohif, '1.2.840.10008.1.2')).toBe(`application/octet-stream; transfer-syntax=${ELE}`);
    expect(negotiateFrames(ohif, J2K)).toBe(`application/octet-stream; transfer-syntax=${J2K}`);
    expect(negotiateFrames('multipart/related; type="image/jpeg"', JPEG)).toBe(`image/jpeg; transfer-syntax=${JPEG}`);
    expect(() => negotiateFrames('multipart/related; type="application/octet-stream"', J2K)).toThrow(NotAcceptableError);
    expect(() => negotiateFrames('multipart/related; type="image/jpeg"', J2K)).toThrow(NotAcceptableError);
  });

  it('offers bulk data as multipart or, on request, as a bare body', () => {
    expect(negotiateBulk(undefined)).toBe('multipart');
    expect(negotiateBulk('multipart/related; type="application/octet-stream"')).toBe('multipart');
    expect(negotiateBulk('application/octet-stream')).toBe('single');
  });
});
