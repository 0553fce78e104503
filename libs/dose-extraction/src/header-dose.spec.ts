import { extractDoseFromPart10 } from './extract-dose';
import { readShared } from './testing/shared-data';

// Expected values are copied from each image header (dcmdump of ../shared/data/images).
describe('dose from image headers', () => {
  it('DX: Image and Fluoroscopy Area Dose Product 135.18 dGy·cm² becomes Gy·m²', () => {
    const r = extractDoseFromPart10(readShared('images', 'DX-Im-DRGEM.dcm'));
    expect(r).toMatchObject({ kind: 'PROJECTION', source: 'header', template: 'IMAGE_HEADER' });
    expect(r.events).toHaveLength(1);
    expect(r.events[0].dap_Gy_m2).toBeCloseTo(0.0013518, 15);
    expect(r.totals.dapTotal_Gy_m2).toBeNull(); // no accumulated container in an image
  });

  it('CR: exposure index, target and deviation index', () => {
    const r = extractDoseFromPart10(readShared('images', 'DX-Im-Carestream_DRX.dcm'));
    expect(r.events[0]).toMatchObject({ exposureIndex: 256.88, targetExposureIndex: 226.22, deviationIndex: 0.55 });
    expect(r.events[0].dap_Gy_m2).toBeCloseTo(0.633e-5, 15);
  });

  it('MG: Organ Dose (dGy) is the AGD in mGy; Entrance Dose in mGy as stated', () => {
    const r = extractDoseFromPart10(readShared('images', 'MG-Im-GE_Seno_1_ForPresentation.dcm'));
    expect(r.events[0].agd_mGy).toBeCloseTo(0.547, 12); // OrganDose 0.00547 dGy
    expect(r.events[0].entranceDose_mGy).toBe(1.694);
  });

  it('CT dose-info secondary capture: CTDIvol per Exposure Dose Sequence item', () => {
    const r = extractDoseFromPart10(readShared('images', 'CT-SC-Philips_Brilliance16P.dcm'));
    expect(r.kind).toBe('CT');
    expect(r.events.map((e) => e.ctdiVol_mGy)).toEqual([0, 7.2009787191521353, 11.32941264247715, 9.3156825132469656]);
  });

  it('an image without dose attributes is NOT_DOSE', () => {
    const r = extractDoseFromPart10(readShared('images', 'NM-NmIm-Siemens.dcm'));
    expect(r.kind).toBe('NOT_DOSE');
    expect(r.events).toEqual([]);
  });
});
