import { extractDoseFromPart10 } from './extract-dose';
import { readShared } from './testing/shared-data';

// Expected values are copied from each file (dcmdump/dsrdump of ../shared/data/rdsr).
describe('CT dose (TID 10011) from real RDSRs', () => {
  it('GE LightSpeed (PixelMed-converted): totals, events and observer', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'CT-RDSR-GEPixelMed.dcm'));
    expect(r.kind).toBe('CT');
    expect(r.source).toBe('rdsr');
    expect(r.sopInstanceUid).toBe('1.3.6.1.4.1.5962.99.1.3581082065.863539667.1365085747665.7.0');
    expect(r.studyInstanceUid).toBe('1.2.840.113619.2.55.3.2831209208.960.1363108704.865');
    expect(r.deviceObserverUid).toBe('2.25.283235085899432793130293442803230951171');
    expect(r.totals.eventCount).toBe(2);
    expect(r.totals.dlpTotal_mGy_cm).toBe(586.34);
    expect(r.totals.dapTotal_Gy_m2).toBeNull();
    expect(r.events.map((e) => [e.irradiationEventUid, e.ctdiVol_mGy, e.dlp_mGy_cm])).toEqual([
      ['1.3.6.1.4.1.5962.99.1.3581082065.863539667.1365085747665.9.0', 60.41, 475.04],
      ['1.3.6.1.4.1.5962.99.1.3581082065.863539667.1365085747665.3.0', 222.59, 111.3],
    ]);
  });

  it('Siemens Definition Flash: events with the scanner dose-check details', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'CT-RDSR-Siemens-Continued-1.dcm'));
    expect(r.deviceObserverUid).toBe('1.3.6.1.4.1.5962.99.1.64928122.996247427.1524778350970.4.0');
    expect(r.totals).toMatchObject({ eventCount: 2, dlpTotal_mGy_cm: 60.17 });
    expect(r.events.map((e) => [e.ctdiVol_mGy, e.dlp_mGy_cm])).toEqual([
      [0.14, 5.05],
      [2.03, 55.12],
    ]);
    expect(r.events[1].acquisitionProtocol).toBe('Thorax');
    expect(r.events[1].doseCheck).toEqual({
      alert: {
        dlpConfigured: false,
        ctdiVolConfigured: true,
        dlpValue_mGy_cm: null,
        ctdiVolValue_mGy: 1000,
        dlpForwardEstimate_mGy_cm: null,
        ctdiVolForwardEstimate_mGy: null,
        reasonForProceeding: null,
        personName: null,
      },
      notification: expect.objectContaining({ dlpConfigured: false, ctdiVolConfigured: false }),
    });
  });

  it('Philips Big Bore: one spiral event', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'CT-RDSR-Philips_BigBore4DCT.dcm'));
    expect(r.deviceObserverUid).toBe('1.3.6.1.4.1.5962.99.1.3978416086.606123744.1563051577302.2.0');
    expect(r.totals).toMatchObject({ eventCount: 1, dlpTotal_mGy_cm: 541.1 });
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      irradiationEventUid: '1.3.6.1.4.1.5962.99.1.3978416086.606123744.1563051577302.4.0',
      ctdiVol_mGy: 23.7,
      dlp_mGy_cm: 541.1,
    });
  });

  it('Toshiba: a localizer without CT Dose has null CTDIvol, not 0', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'CT-RDSR-ToshibaPixelMed.dcm'));
    expect(r.totals).toMatchObject({ eventCount: 3, dlpTotal_mGy_cm: 349.7 });
    expect(r.events[0].ctdiVol_mGy).toBeNull();
    expect(r.events[0].dlp_mGy_cm).toBeNull();
    expect(r.events.slice(1).map((e) => [e.ctdiVol_mGy, e.dlp_mGy_cm])).toEqual([
      [25.4, 208.5],
      [24.7, 141.2],
    ]);
  });

  it('GE Optima in an Enhanced SR (..88.22), with the non-UCUM "mGycm" unit', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'CT-ESR-GE_Optima.dcm'));
    expect(r.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.88.22');
    expect(r.kind).toBe('CT');
    expect(r.totals).toMatchObject({ eventCount: 6, dlpTotal_mGy_cm: 415.82 });
  });
});
