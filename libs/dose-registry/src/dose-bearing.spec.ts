import { isDoseBearing } from './dose-bearing';

describe('isDoseBearing', () => {
  it('takes every dose SR class whatever the modality', () => {
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.67', 'SR')).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.68', null)).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.22', 'SR')).toBe(true);
  });
  it('takes images of dose-producing modalities and skips the others', () => {
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.2', 'CT')).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.1.1', 'DX')).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.4', 'MR')).toBe(false);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.6.1', 'US')).toBe(false);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.11', 'SR')).toBe(false);
  });
});
