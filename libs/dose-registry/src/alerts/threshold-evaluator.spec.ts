import { DEFAULT_DOSE_THRESHOLDS } from '@krypton/config';
import { crossedThresholds } from './threshold-evaluator';
import type { RecordedExam } from '../dose-registry.service';

const exam = (patch: Partial<RecordedExam>): RecordedExam => ({
  examId: '1',
  patientFk: '1',
  site: null,
  performedAt: '2025-01-01T00:00:00Z',
  totals: { source: 'rdsr', dlpTotal_mGy_cm: null, dapTotal_Gy_m2: null, rpDoseTotal_Gy: null, fluoroTime_s: null, agdTotal_mGy: null },
  ctdiVolMax_mGy: null,
  events: [],
  ...patch,
});
const ct = (key: string, ctdi: number, phantom: string | null) => ({
  key,
  source: 'rdsr' as const,
  ctdiPhantom: phantom,
  ctdiVol_mGy: ctdi,
  dlp_mGy_cm: null,
  dap_Gy_m2: null,
  rpDose_Gy: null,
  agd_mGy: null,
  activity_MBq: null,
});

describe('crossedThresholds', () => {
  it('compares CTDIvol with the value of its own phantom', () => {
    const out = crossedThresholds(DEFAULT_DOSE_THRESHOLDS, exam({ events: [ct('a', 60, 'HEAD16'), ct('b', 60, 'BODY32')] }), new Map());
    expect(out.map((c) => [c.ruleId, c.eventKey])).toEqual([['ct-ctdivol-body', 'b']]);
  });
  it('converts DAP from Gy·m² to Gy·cm² and checks the reference-point air kerma', () => {
    const totals = { source: 'rdsr' as const, dlpTotal_mGy_cm: null, dapTotal_Gy_m2: 0.06, rpDoseTotal_Gy: 5.2, fluoroTime_s: 3000, agdTotal_mGy: null };
    const out = crossedThresholds(DEFAULT_DOSE_THRESHOLDS, exam({ totals }), new Map());
    expect(out.map((c) => [c.ruleId, c.value])).toEqual([
      ['fluoro-rp-air-kerma', 5.2],
      ['fluoro-dap', 600],
    ]);
  });
  it('uses the cumulative sum the caller computed for patient rules', () => {
    const rule = { id: 'cum', scope: 'patient' as const, quantity: 'rpDose_Gy' as const, value: 5, windowDays: 60, source: 's' };
    expect(crossedThresholds([rule], exam({}), new Map([['cum', 5.5]]))).toHaveLength(1);
    expect(crossedThresholds([rule], exam({}), new Map([['cum', 5]]))).toHaveLength(0);
  });
});
