import { dicomPriority, patientIdentity, patientName } from './worklist-row';

describe('worklist item attributes', () => {
  it('gives the INS with the INS-NIR OID as Patient ID, the local identifiers as other IDs', () => {
    expect(patientIdentity({ ins: '279035121518989', identifiers: [{ value: 'IPP-1', issuer: '000000002' }], familyName: 'X' })).toEqual({
      patientId: '279035121518989',
      issuer: '1.2.250.1.213.1.4.8',
      qualifiers: { UniversalEntityID: '1.2.250.1.213.1.4.8', UniversalEntityIDType: 'ISO' },
      others: [{ PatientID: 'IPP-1', IssuerOfPatientID: '000000002' }],
    });
  });

  it('falls back to the first local identifier, qualified only when its issuer is an OID', () => {
    const local = patientIdentity({
      identifiers: [
        { value: 'IPP-1', issuer: 'CHU-NORD' },
        { value: '42', issuer: '1.2.250.1000.9' },
      ],
      familyName: 'X',
    });
    expect(local).toMatchObject({ patientId: 'IPP-1', issuer: 'CHU-NORD', qualifiers: null, others: [{ PatientID: '42', IssuerOfPatientID: '1.2.250.1000.9' }] });
    expect(patientIdentity({ identifiers: [{ value: '42', issuer: '1.2.250.1000.9' }], familyName: 'X' }).qualifiers).toEqual({ UniversalEntityID: '1.2.250.1000.9', UniversalEntityIDType: 'ISO' });
    expect(patientIdentity({ identifiers: [], familyName: 'X' })).toEqual({ patientId: '', issuer: '', qualifiers: null, others: [] });
  });

  it('writes names family^given, without letting their content split them', () => {
    expect(patientName({ familyName: 'MARTIN', givenName: 'Hélène' })).toBe('MARTIN^Hélène');
    expect(patientName({ familyName: 'MARTIN' })).toBe('MARTIN');
    expect(patientName({ familyName: 'A^B\\C', givenName: 'D=E' })).toBe('A B C^D E');
  });

  it('maps the request priority onto Requested Procedure Priority', () => {
    expect(['routine', 'urgent', 'emergency', 'other'].map(dicomPriority)).toEqual(['ROUTINE', 'HIGH', 'STAT', 'ROUTINE']);
  });
});
