import { DoseParseError } from './dose-errors';
import { extractDoseFromPart10 } from './extract-dose';
import { listShared, readShared } from './testing/shared-data';

/**
 * The one file of the corpus that no reader can parse: a Hologic image whose Performed Protocol
 * Code Sequence is an undefined-length UN written in explicit VR (dcmdump fails on it too).
 */
const UNREADABLE = 'MG-Im-Hologic-PropProj.dcm';

describe('extractDoseFromPart10 over the whole reference corpus', () => {
  const files = [...listShared('rdsr').map((f) => ['rdsr', f] as const), ...listShared('images').map((f) => ['images', f] as const)];

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it.each(files.filter(([, f]) => f !== UNREADABLE))('%s/%s extracts without throwing', (dir, file) => {
    const r = extractDoseFromPart10(readShared(dir, file));
    expect(['CT', 'PROJECTION', 'NM', 'NOT_DOSE']).toContain(r.kind);
    if (dir === 'rdsr' && file !== 'ESR_non-dose.dcm') expect(r.kind).not.toBe('NOT_DOSE');
  });

  it('reports the unreadable file as a typed DoseParseError, not a crash', () => {
    expect(() => extractDoseFromPart10(readShared('images', UNREADABLE))).toThrow(DoseParseError);
  });

  it('gives NOT_DOSE for an SR that is not a dose report', () => {
    const r = extractDoseFromPart10(readShared('rdsr', 'ESR_non-dose.dcm'));
    expect(r.kind).toBe('NOT_DOSE');
    expect(r.sopInstanceUid).toBe('1.3.6.1.4.1.5962.99.1.84038123.1638714927.1486142755307.2.0');
    expect(r.events).toEqual([]);
  });

  it('rejects bytes that are not DICOM with a DoseParseError', () => {
    expect(() => extractDoseFromPart10(Buffer.from('not a dicom file'))).toThrow(DoseParseError);
  });
});
