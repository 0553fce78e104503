import { EMPTY_TOTALS } from '@krypton/dose-extraction';
import { StoredReportView, examTotals, supersededReports } from './report-combination';

const report = (uid: string, keys: string[], dlp: number, at: string): StoredReportView => ({
  sopInstanceUid: uid,
  source: 'rdsr',
  eventKeys: keys,
  totals: { ...EMPTY_TOTALS, dlpTotal_mGy_cm: dlp },
  receivedAt: at,
});
const ev = (key: string, dlp: number) => ({ key, source: 'rdsr' as const, ctdiVol_mGy: null, dlp_mGy_cm: dlp, dap_Gy_m2: null, rpDose_Gy: null, agd_mGy: null, activity_MBq: null });

describe('report combination', () => {
  it('a growing series counts only its latest report', () => {
    const r1 = report('1', ['a'], 10, '2025-01-01T00:00:00Z');
    const r2 = report('2', ['a', 'b'], 25, '2025-01-01T00:01:00Z');
    expect([...supersededReports([r1, r2])]).toEqual(['1']);
    expect(examTotals([r1, r2], [ev('a', 10), ev('b', 15)]).dlpTotal_mGy_cm).toBe(25);
  });
  it('a continued study (disjoint reports) adds both', () => {
    const r1 = report('1', ['a', 'b'], 60.17, '2025-01-01T00:00:00Z');
    const r2 = report('2', ['c', 'd'], 56.44, '2025-01-01T00:01:00Z');
    expect(examTotals([r1, r2], []).dlpTotal_mGy_cm).toBeCloseTo(116.61, 6);
  });
  it('the same report twice counts once', () => {
    const r1 = report('1', ['a'], 10, '2025-01-01T00:00:00Z');
    const r1bis = report('1b', ['a'], 10, '2025-01-01T00:00:05Z');
    expect(examTotals([r1, r1bis], [ev('a', 10)]).dlpTotal_mGy_cm).toBe(10);
  });
  it('partial overlap falls back to distinct events', () => {
    const r1 = report('1', ['a', 'b'], 20, '2025-01-01T00:00:00Z');
    const r2 = report('2', ['b', 'c'], 20, '2025-01-01T00:01:00Z');
    expect(examTotals([r1, r2], [ev('a', 10), ev('b', 10), ev('c', 10)]).dlpTotal_mGy_cm).toBe(30);
  });
});
