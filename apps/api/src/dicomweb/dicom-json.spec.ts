import { binaryAt, DcmjsDict, toDicomJson } from './dicom-json';

const policy = { inlineMaxBytes: 4, uriFor: (p: readonly string[]) => `bulk/${p.join('.')}` };

describe('toDicomJson', () => {
  const dict: DcmjsDict = {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080050': { vr: 'SH', Value: [''] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN' }] },
    '00080090': { vr: 'PN', Value: [] },
    '00200013': { vr: 'IS', Value: [7] },
    '00280030': { vr: 'DS', Value: [0.5, '0.25'] },
    '00280009': { vr: 'AT', Value: [0x00540010] },
    '00431028': { vr: 'OB', Value: [new Uint8Array([1, 2]).buffer] },
    '00431029': { vr: 'OB', Value: [new Uint8Array(10)] },
    '00540016': { vr: 'SQ', Value: [{ '00181072': { vr: 'TM', Value: ['120000'] }, '00189999': { vr: 'OW', Value: [new ArrayBuffer(8)] } }] },
    '00081140': { vr: 'SQ', Value: [] },
    '7FE00010': { vr: 'OW', Value: [new ArrayBuffer(2)] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
    '00280000': { vr: 'UL', Value: [4] },
  };
  const json = toDicomJson(dict, policy);

  it('types values as PS3.18 F.2 says', () => {
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN' }] });
    expect(json['00200013']).toEqual({ vr: 'IS', Value: [7] });
    expect(json['00280030']).toEqual({ vr: 'DS', Value: [0.5, 0.25] });
    expect(json['00280009']).toEqual({ vr: 'AT', Value: ['00540010'] });
  });

  it('leaves out Value when there is none', () => {
    expect(json['00080050']).toEqual({ vr: 'SH' });
    expect(json['00080090']).toEqual({ vr: 'PN' });
    expect(json['00081140']).toEqual({ vr: 'SQ' });
  });

  it('inlines small binary values and points at large ones and at PixelData', () => {
    expect(json['00431028']).toEqual({ vr: 'OB', InlineBinary: 'AQI=' });
    expect(json['00431029']).toEqual({ vr: 'OB', BulkDataURI: 'bulk/00431029' });
    expect(json['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/7FE00010' });
    expect((json['00540016'].Value![0] as Record<string, unknown>)['00189999']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/00540016.0.00189999' });
  });

  it('drops file meta and group lengths', () => {
    expect(json['00020010']).toBeUndefined();
    expect(json['00280000']).toBeUndefined();
  });

  it('finds bulk data back by its path, and only binary values', () => {
    expect(binaryAt(dict, '00540016.0.00189999')?.vr).toBe('OW');
    expect(binaryAt(dict, '00540016.1.00189999')).toBeNull();
    expect(binaryAt(dict, '00100010')).toBeNull();
    expect(binaryAt(dict, '../etc')).toBeNull();
  });
});
