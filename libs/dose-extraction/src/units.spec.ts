import { normaliseUnitCode, toCanonical } from './units';

describe('units', () => {
  it.each([
    ['Gy.m2', 2.5, 2.5],
    ['Gym2', 2.5, 2.5],
    ['dGy.cm2', 135.18, 0.0013518],
    ['cGy.cm2', 12, 0.000012],
    ['mGy.cm2', 4, 4e-7],
    ['uGy.m2', 3, 3e-6],
    ['Gy.cm2', 0.2359, 2.359e-5],
    ['Gy.cm^2', 0.2359, 2.359e-5],
  ])('normalises DAP in %s to Gy·m²', (unit, value, expected) => {
    expect(toCanonical(value, unit, 'dap')).toBeCloseTo(expected, 15);
  });

  it('converts dose (RP), CTDIvol, DLP and time to their canonical units', () => {
    expect(toCanonical(1.5, 'mGy', 'doseGy')).toBe(0.0015);
    expect(toCanonical(0.0117317, 'Gy', 'doseGy')).toBe(0.0117317);
    expect(toCanonical(0.02, 'Gy', 'doseMGy')).toBe(20);
    expect(toCanonical(415.82, 'mGycm', 'dlp')).toBe(415.82);
    expect(toCanonical(2, 'min', 'time')).toBe(120);
    expect(toCanonical(854, 'ms', 'time')).toBe(0.854);
  });

  it('treats UCUM annotations as dimensionless counts', () => {
    expect(normaliseUnitCode('{events}')).toBe('1');
    expect(toCanonical(3, '{events}', 'count')).toBe(3);
  });

  it('refuses units it does not know rather than guessing a factor', () => {
    expect(toCanonical(1, 'R.cm2', 'dap')).toBeNull();
    expect(toCanonical(1, 'mGy', 'dap')).toBeNull();
  });
});
