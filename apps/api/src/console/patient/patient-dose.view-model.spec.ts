import { doseWindows } from './patient-dose.view-model';

const figures = { dlp_mGy_cm: null, dap_Gy_cm2: null, rpDose_Gy: null, agd_mGy: null, activity_MBq: null };

describe('doseWindows (the patient dose page)', () => {
  it('says one sentence per figure the registry has, readable (three significant digits), and leaves out empty windows', () => {
    const windows = doseWindows({
      cumulative: [
        {
          windowMonths: 12,
          from: '2025-12-05',
          byModality: [
            { ...figures, modality: 'CT', exams: 2, dlp_mGy_cm: 812.345 },
            { ...figures, modality: 'MG', exams: 1, dap_Gy_cm2: 0.04, agd_mGy: 1.26 },
          ],
        },
        { windowMonths: 60, from: '2021-12-05', byModality: [{ ...figures, modality: 'US', exams: 1 }] },
      ],
    });
    expect(windows).toEqual([
      {
        months: 12,
        sentences: [
          { kind: 'dlp', modality: 'CT', exams: 2, value: 812 },
          { kind: 'dap', modality: 'MG', exams: 1, value: 0.04 },
          { kind: 'agd', modality: 'MG', exams: 1, value: 1.26 },
        ],
      },
    ]);
  });
});
