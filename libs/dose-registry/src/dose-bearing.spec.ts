import { isDoseBearing } from './dose-bearing';

describe('isDoseBearing', () => {
  it('takes every dose SR class whatever the modality', () => {
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.67', 'SR', false)).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.68', null, false)).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.22', 'SR', false)).toBe(true);
  });
  it('takes images of dose-producing modalities whose header states a dose, and skips the others', () => {
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.2', 'CT', true)).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.2', 'CT', false)).toBe(false);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.1.1', 'DX', true)).toBe(true);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.4', 'MR', true)).toBe(false);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.6.1', 'US', false)).toBe(false);
    expect(isDoseBearing('1.2.840.10008.5.1.4.1.1.88.11', 'SR', false)).toBe(false);
  });
});
