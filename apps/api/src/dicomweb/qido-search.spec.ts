import { BadParameterError } from './dicomweb-errors';
import { parseQidoSearch } from './qido-search';
import { qidoResult } from './qido-result';
import { DicomwebUrls } from './dicomweb-urls';

describe('parseQidoSearch', () => {
  it('matches by keyword or tag, with path UIDs winning', () => {
    const s = parseQidoSearch('SERIES', { PatientName: 'DOE*', '00080060': 'CT', StudyInstanceUID: '9.9', limit: '5', offset: '10' }, { StudyInstanceUID: '1.2' });
    expect(s.query).toEqual({ level: 'SERIES', keys: { PatientName: 'DOE*', Modality: 'CT', StudyInstanceUID: '1.2' }, limit: 5, offset: 10 });
  });

  it("takes the patient's issuer from the qualifiers' Universal Entity ID when IssuerOfPatientID is absent", () => {
    expect(parseQidoSearch('STUDY', { PatientID: 'DUP-1', '00100024.00400032': 'CLINIQUE-SUD' }).query.keys).toEqual({ PatientID: 'DUP-1', IssuerOfPatientID: 'CLINIQUE-SUD' });
    expect(parseQidoSearch('STUDY', { PatientID: 'DUP-1', IssuerOfPatientID: 'CHU-NORD', 'IssuerOfPatientIDQualifiersSequence.UniversalEntityID': 'X' }).query.keys.IssuerOfPatientID).toBe('CHU-NORD');
  });

  it('takes UID and modality lists with commas', () => {
    expect(parseQidoSearch('STUDY', { StudyInstanceUID: '1.2,1.3', ModalitiesInStudy: ['CT', 'MR'] }).query.keys).toEqual({
      StudyInstanceUID: '1.2\\1.3',
      ModalitiesInStudy: 'CT\\MR',
    });
  });

  it('ignores known but unsupported attributes with a warning, and refuses unknown ones', () => {
    const s = parseQidoSearch('STUDY', { InstitutionName: 'X', fuzzymatching: 'true' });
    expect(s.query.keys).toEqual({});
    expect(s.warnings.join(' ')).toMatch(/InstitutionName.*|fuzzymatching/);
    expect(() => parseQidoSearch('STUDY', { NotAnAttribute: 'X' })).toThrow(BadParameterError);
    expect(() => parseQidoSearch('STUDY', { limit: '-1' })).toThrow(/limit/);
  });

  it('reads includefield lists and all', () => {
    expect(parseQidoSearch('STUDY', { includefield: '00081030,PatientSex' }).include).toEqual(new Set(['StudyDescription', 'PatientSex']));
    expect(parseQidoSearch('STUDY', { includefield: 'all' }).include).toBe('all');
    expect(() => parseQidoSearch('STUDY', { includefield: 'Nope' })).toThrow(BadParameterError);
  });
});

describe('qidoResult', () => {
  const urls = new DicomwebUrls('http://hub:8080');
  const row = {
    PatientName: 'DOE^J',
    PatientID: 'P1',
    StudyInstanceUID: '1.2',
    StudyDate: '20240101',
    ModalitiesInStudy: 'CT\\SR',
    NumberOfStudyRelatedSeries: 2,
    AccessionNumber: null,
    SeriesInstanceUID: '1.2.3',
    Modality: 'CT',
    SeriesNumber: 3,
  };

  it('renders a study in the DICOM JSON model with its RetrieveURL', () => {
    const json = qidoResult(row, { level: 'STUDY', include: new Set(), matched: [], scopedToParent: false, urls });
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DOE^J' }] });
    expect(json['00080061']).toEqual({ vr: 'CS', Value: ['CT', 'SR'] });
    expect(json['00201206']).toEqual({ vr: 'IS', Value: [2] });
    expect(json['00080050']).toEqual({ vr: 'SH' });
    expect(json['00081190']).toEqual({ vr: 'UR', Value: ['http://hub:8080/dicomweb/studies/1.2'] });
  });

  it('returns series attributes and the study UID for a study-scoped series search', () => {
    const json = qidoResult(row, { level: 'SERIES', include: new Set(), matched: ['StudyInstanceUID'], scopedToParent: true, urls });
    expect(json['00200011']).toEqual({ vr: 'IS', Value: [3] });
    expect(json['0020000D']).toBeDefined();
    expect(json['00100010']).toBeUndefined();
    expect(json['00081190'].Value).toEqual(['http://hub:8080/dicomweb/studies/1.2/series/1.2.3']);
  });
});
