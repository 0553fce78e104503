import { parseIdentifier, responseIdentifier, InvalidIdentifierError } from './identifier';

describe('C-FIND identifier', () => {
  it('turns the request into matching keys and remembers what was asked', () => {
    const p = parseIdentifier({ QueryRetrieveLevel: 'STUDY', PatientName: [{ Alphabetic: 'DOE*' }], StudyDate: '20240101-', StudyInstanceUID: '' });
    expect(p).toEqual({ level: 'STUDY', keys: { PatientName: 'DOE*', StudyDate: '20240101-', StudyInstanceUID: '' }, requested: ['PatientName', 'StudyDate', 'StudyInstanceUID'] });
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
