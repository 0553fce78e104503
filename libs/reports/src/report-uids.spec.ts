import { isValidUid } from '@krypton/dicom-codec';
import { nameBasedUid, reportInstanceUid, reportSeriesUid } from './report-uids';

describe('report UIDs', () => {
  it('are valid 2.25 UIDs, the same for the same name (a retried signature) and different otherwise', () => {
    const a = reportInstanceUid('req-1', 'run:1');
    expect(a).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(isValidUid(a)).toBe(true);
    expect(reportInstanceUid('req-1', 'run:1')).toBe(a);
    expect(reportInstanceUid('req-1', 'run:2')).not.toBe(a);
    expect(reportSeriesUid('req-1')).not.toBe(reportSeriesUid('req-2'));
  });

  it('carry a version 5 UUID', () => {
    const hex = BigInt(nameBasedUid('x').slice(5)).toString(16).padStart(32, '0');
    expect(hex[12]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(hex[16]);
  });
});
