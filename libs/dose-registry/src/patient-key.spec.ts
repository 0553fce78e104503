import { parsePatientKey } from './patient-key';
import { InvalidPatientKeyError } from './dose-registry-errors';

describe('parsePatientKey', () => {
  it('reads an INS, with or without spaces', () => {
    expect(parsePatientKey('1 84 12 76 451 089 46')).toEqual({ kind: 'ins', ins: '184127645108946' });
    expect(parsePatientKey('18412 2A 451089 46'.replace(/ /g, ''))).toEqual({ kind: 'ins', ins: '184122A45108946' });
  });
  it('reads issuer|patientId, the issuer may be empty', () => {
    expect(parsePatientKey('CHU-NORD|12345')).toEqual({ kind: 'local', issuer: 'CHU-NORD', patientId: '12345' });
    expect(parsePatientKey('|12345')).toEqual({ kind: 'local', issuer: '', patientId: '12345' });
  });
  it('names the problem', () => {
    expect(() => parsePatientKey('hello')).toThrow(InvalidPatientKeyError);
    expect(() => parsePatientKey('X|')).toThrow(/patientId/);
  });
});
