import { extractDoseFromPart10 } from './extract-dose';
import { readShared } from './testing/shared-data';

// Expected values are copied from the file (dsrdump of ../shared/data/rdsr/NM-RRDSR-Siemens.dcm).
describe('radiopharmaceutical dose (TID 10021)', () => {
  it('Siemens Biograph RRDSR: one FDG administration', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'NM-RRDSR-Siemens.dcm'));
    expect(r.kind).toBe('NM');
    expect(r.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.88.68');
    expect(r.sopInstanceUid).toBe('1.3.12.2.1107.5.1.4.11090.30000022022409484529300000027');
    expect(r.studyInstanceUid).toBe('1.2.840.113619.6.95.31.0.3.4.1.4400.13.8620675');
    expect(r.deviceObserverUid).toBeNull(); // this report has no observer context
    expect(r.totals).toEqual({
      eventCount: 1,
      dlpTotal_mGy_cm: null,
      dapTotal_Gy_m2: null,
      rpDoseTotal_Gy: null,
      fluoroTime_s: null,
      agdTotal_mGy: null,
    });
    expect(r.events[0]).toMatchObject({
      irradiationEventUid: '1.3.12.2.1107.5.1.4.11090.20220224104830.0',
      administeredActivity_MBq: 394,
      radiopharmaceutical: { value: 'C-B1031', scheme: 'SRT' },
      radionuclide: { value: 'C-111A1', scheme: 'SRT' },
      effectiveDose_mSv: 7.486,
      ctdiVol_mGy: null,
      dap_Gy_m2: null,
    });
  });
});
