import { accessionNumberFor, newStudyInstanceUid } from './request-identifiers';

describe('accessionNumberFor', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('is KR + 8 base-36 characters, stable for a request id', () => {
    expect(accessionNumberFor(id)).toMatch(/^KR[0-9A-Z]{8}$/);
    expect(accessionNumberFor(id)).toBe(accessionNumberFor(id));
  });

  it('gives another, still reproducible, value for a retry after a collision', () => {
    expect(accessionNumberFor(id, 1)).not.toBe(accessionNumberFor(id));
    expect(accessionNumberFor(id, 1)).toBe(accessionNumberFor(id, 1));
  });
});

describe('newStudyInstanceUid', () => {
  it('writes a UUID as one decimal integer under 2.25 (PS3.5 B.2)', () => {
    expect(newStudyInstanceUid('00000000-0000-0000-0000-00000000000a')).toBe('2.25.10');
    expect(newStudyInstanceUid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(`2.25.${(2n ** 128n - 1n).toString()}`);
  });

  it('stays within the 64 characters of a UID', () => {
    const uid = newStudyInstanceUid();
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
  });
});
