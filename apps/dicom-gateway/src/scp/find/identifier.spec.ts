import { parseIdentifier, responseIdentifier, InvalidIdentifierError } from './identifier';

describe('C-FIND identifier', () => {
  it('turns the request into matching keys and remembers what was asked', () => {
    const p = parseIdentifier({ QueryRetrieveLevel: 'STUDY', PatientName: [{ Alphabetic: 'DOE*' }], StudyDate: '20240101-', StudyInstanceUID: '' });
    expect(p).toEqual({ level: 'STUDY', keys: { PatientName: 'DOE*', StudyDate: '20240101-', StudyInstanceUID: '' }, requested: ['PatientName', 'StudyDate', 'StudyInstanceUID'] });
  });

  it("takes the patient's issuer from the qualifiers sequence when Issuer of Patient ID is absent", () => {
    const p = parseIdentifier({ QueryRetrieveLevel: 'PATIENT', PatientID: 'DUP-1', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: 'CLINIQUE-SUD' }] });
    expect(p.keys).toEqual({ PatientID: 'DUP-1', IssuerOfPatientID: 'CLINIQUE-SUD' });
    const both = parseIdentifier({ QueryRetrieveLevel: 'PATIENT', PatientID: 'DUP-1', IssuerOfPatientID: 'CHU-NORD', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: 'X' }] });
    expect(both.keys.IssuerOfPatientID).toBe('CHU-NORD');
  });

  it('refuses an unknown level', () => {
    expect(() => parseIdentifier({ QueryRetrieveLevel: 'WORKLIST' })).toThrow(InvalidIdentifierError);
  });

  it('answers exactly the requested keys', () => {
    const p = parseIdentifier({ QueryRetrieveLevel: 'STUDY', PatientName: '', ModalitiesInStudy: '', OtherPatientIDs: '' });
    const r = responseIdentifier(p, { PatientName: 'DOE^JOHN', ModalitiesInStudy: 'CT\\SR', StudyDate: '20240101' }, 'KRYPTON');
    expect(r).toEqual({
      SpecificCharacterSet: 'ISO_IR 192',
      QueryRetrieveLevel: 'STUDY',
      RetrieveAETitle: 'KRYPTON',
      PatientName: [{ Alphabetic: 'DOE^JOHN' }],
      ModalitiesInStudy: ['CT', 'SR'],
      OtherPatientIDs: '',
    });
  });
});
