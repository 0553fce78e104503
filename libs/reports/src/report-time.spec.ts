import { dicomDate, displayDate, parseInstant, zoned } from './report-time';

describe('report time', () => {
  it('expresses an instant in the configured zone, with the offset in force that day', () => {
    expect(zoned(new Date('2026-03-14T14:09:26Z'), 'Europe/Paris')).toEqual({ da: '20260314', tm: '150926', dt: '20260314150926+0100', date: '14/03/2026', time: '15:09' });
    expect(zoned(new Date('2026-07-01T22:30:00Z'), 'Europe/Paris')).toMatchObject({ da: '20260702', tm: '003000', dt: '20260702003000+0200' });
    expect(zoned(new Date('2026-07-01T22:30:00Z'), 'America/Martinique').dt).toBe('20260701183000-0400');
  });

  it('refuses a date-time without a zone: the instant would be a guess', () => {
    expect(parseInstant('2026-03-14T15:09:26')).toBeNull();
    expect(parseInstant('14/03/2026')).toBeNull();
    expect(parseInstant('2026-03-14T15:09:26+01:00')?.toISOString()).toBe('2026-03-14T14:09:26.000Z');
  });

  it('shows DICOM and ISO dates the French way', () => {
    expect(displayDate('19790312', 'Europe/Paris')).toBe('12/03/1979');
    expect(displayDate('1979-03-12', 'Europe/Paris')).toBe('12/03/1979');
    expect(displayDate('2026-03-14T23:30:00Z', 'Europe/Paris')).toBe('15/03/2026');
    expect(displayDate('hier', 'Europe/Paris')).toBeNull();
    expect(dicomDate('2026-03-14T23:30:00Z', 'Europe/Paris')).toBe('20260315');
  });
});
