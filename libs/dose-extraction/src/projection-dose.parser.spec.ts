import { extractDoseFromPart10 } from './extract-dose';
import { readShared } from './testing/shared-data';

// Expected values are copied from each file (dcmdump/dsrdump of ../shared/data/rdsr).
describe('projection X-ray dose (TID 10001) from real RDSRs', () => {
  it('GE fluoroscopy: accumulated totals as stated, per-event DAP and Dose (RP)', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'RF-RDSR-GE.dcm'));
    expect(r.kind).toBe('PROJECTION');
    expect(r.sopInstanceUid).toBe('1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.13.0');
    expect(r.studyInstanceUid).toBe('1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.4.0');
    // GE sends the Device Observer UID as a TEXT item; it is still the observer UID.
    expect(r.deviceObserverUid).toBe('1.3.6.1.4.1.45593.912345678.9876543123');
    expect(r.totals).toMatchObject({
      eventCount: 8,
      dapTotal_Gy_m2: 0.00024126,
      rpDoseTotal_Gy: 0.0117317,
      fluoroTime_s: 72.46,
      dlpTotal_mGy_cm: null,
      agdTotal_mGy: null,
    });
    expect(r.events).toHaveLength(8);
    expect(r.events[0]).toMatchObject({
      irradiationEventUid: '1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.5.0',
      dap_Gy_m2: 0.00002206,
      rpDose_Gy: 0.00107252,
      ctdiVol_mGy: null,
      plane: 'SINGLE',
    });
    expect(r.events[1]).toMatchObject({ dap_Gy_m2: 0.0000438, rpDose_Gy: 0.00212964 });
  });

  it('Siemens with the non-UCUM "Gym2" unit', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'Dual-RDSR-RF.dcm'));
    expect(r.totals).toMatchObject({ dapTotal_Gy_m2: 0.00000212, rpDoseTotal_Gy: 0.0001, fluoroTime_s: 4 });
    expect(r.events[0]).toMatchObject({
      irradiationEventUid: '1.3.6.1.4.1.5962.99.1.3406246027.1926427166.1523824701579.4.0',
      dap_Gy_m2: 0.0000002,
      rpDose_Gy: 0, // stated as "0": a measured zero, kept as 0
    });
  });

  it('Canon radiography: an empty Dose (RP) is null, not 0', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'DX-RDSR-Canon_CXDI.dcm'));
    expect(r.totals).toMatchObject({ eventCount: 1, dapTotal_Gy_m2: 0.0000107, rpDoseTotal_Gy: null, fluoroTime_s: null });
    expect(r.events).toEqual([
      expect.objectContaining({
        irradiationEventUid: '1.3.6.1.4.1.5962.99.1.84038123.1638714927.1486142755307.36.0',
        dap_Gy_m2: 0.0000107,
        rpDose_Gy: null,
      }),
    ]);
  });

  it('Hologic mammography: accumulated AGD per breast, AGD and laterality per event', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'MG-RDSR-Hologic_2D.dcm'));
    expect(r.deviceObserverUid).toBe('1.3.6.1.4.1.5962.99.1.84038123.1638714927.1486142755307.46.0');
    expect(r.totals.agdByLaterality).toEqual({ LEFT: 1.3, RIGHT: 1.28 });
    expect(r.totals.agdTotal_mGy).toBeCloseTo(2.58, 10);
    expect(r.totals.eventCount).toBe(2);
    expect(r.events.map((e) => [e.irradiationEventUid, e.agd_mGy, e.laterality])).toEqual([
      ['1.3.6.1.4.1.5962.99.1.84038123.1638714927.1486142755307.47.0', 1.3, 'LEFT'],
      ['1.3.6.1.4.1.5962.99.1.84038123.1638714927.1486142755307.48.0', 1.28, 'RIGHT'],
    ]);
  });

  it('Philips Allura declaring ISO 2022 IR 87 is read, with a warning', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'RF-RDSR-Philips_Allura.dcm'));
    expect(r.kind).toBe('PROJECTION');
    expect(r.totals).toMatchObject({
      dapTotal_Gy_m2: 0.00015356864017,
      rpDoseTotal_Gy: 0.00427128035068,
      fluoroTime_s: 13,
    });
    expect(r.warnings.join()).toMatch(/character set/);
  });

  it('Siemens ARCADIS Varic private Radiation Summary Report: DAP (Gy.cm^2) and fluoro time', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'RF-ESR-Siemens-Varic.dcm'));
    expect(r.kind).toBe('PROJECTION');
    expect(r.template).toBe('SIEMENS_RADIATION_SUMMARY');
    expect(r.totals.dapTotal_Gy_m2).toBeCloseTo(0.2359e-4, 15); // 0.2359 Gy.cm^2
    expect(r.totals.fluoroTime_s).toBe(34.427);
    expect(r.totals.eventCount).toBeNull();
    expect(r.events).toEqual([]);
  });
});
