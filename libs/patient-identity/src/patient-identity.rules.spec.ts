import { Hl7Error, PatientMerge } from '@krypton/hl7';
import { patientColumns, type RequestPatient } from '@krypton/pathway';
import { checkMerge, dicomPersonName, dicomSex, mergedPatient, samePatient, survivingIdentifierFor, updatedPatient } from './patient-identity.rules';

const onRequest: RequestPatient = {
  ins: '279035121518989',
  identifiers: [
    { value: '54321', issuer: 'CHU-NORD' },
    { value: 'X9', issuer: 'LABO' },
  ],
  familyName: 'DUPOND',
  givenName: 'Helene',
  birthDate: '19790312',
  sex: 'F',
};

describe('updatedPatient (A08)', () => {
  it("takes the sender's demographics, keeps identifiers from elsewhere and what the sender left empty", () => {
    const next = updatedPatient(onRequest, {
      identifiers: [
        { value: '54321', issuer: 'CHU-NORD' },
        { value: 'NEW', issuer: 'CHU-NORD' },
      ],
      familyName: 'DUPONT',
      givenName: 'Hélène',
    });
    expect(next).toEqual({ ...onRequest, familyName: 'DUPONT', givenName: 'Hélène', identifiers: [...onRequest.identifiers, { value: 'NEW', issuer: 'CHU-NORD' }] });
    expect(patientColumns(next)).toEqual({ ins: '279035121518989', localIds: ['CHU-NORD|54321', 'LABO|X9', 'CHU-NORD|NEW'], familyName: 'DUPONT' });
  });

  it('is idempotent, whatever order jsonb gives the keys back in', () => {
    const incoming: RequestPatient = { identifiers: [{ value: '54321', issuer: 'CHU-NORD' }], familyName: 'DUPONT' };
    const once = updatedPatient(onRequest, incoming);
    const fromJsonb = JSON.parse(
      JSON.stringify({ sex: once.sex, familyName: once.familyName, identifiers: [...once.identifiers].reverse(), ins: once.ins, birthDate: once.birthDate, givenName: once.givenName }),
    );
    expect(samePatient(updatedPatient(fromJsonb, incoming), fromJsonb)).toBe(true);
    expect(samePatient(once, onRequest)).toBe(false);
  });
});

describe('mergedPatient (A40)', () => {
  const merge: PatientMerge = {
    surviving: { identifiers: [{ value: '12345', issuer: 'CHU-NORD' }], familyName: 'DUPONT', givenName: 'Hélène', birthDate: '19790312', sex: 'F' },
    prior: { identifiers: [{ value: '54321', issuer: 'CHU-NORD' }] },
  };

  it('drops the prior identifier and takes the surviving ones and demographics', () => {
    const next = mergedPatient(onRequest, merge);
    expect(next.identifiers).toEqual([
      { value: 'X9', issuer: 'LABO' },
      { value: '12345', issuer: 'CHU-NORD' },
    ]);
    expect(next).toMatchObject({ familyName: 'DUPONT', givenName: 'Hélène', ins: '279035121518989' });
    expect(samePatient(mergedPatient(next, merge), next)).toBe(true);
  });

  it('drops an INS that MRG-1 names as the prior identity', () => {
    expect(mergedPatient(onRequest, { ...merge, prior: { ins: '279035121518989', identifiers: [] } }).ins).toBeUndefined();
  });

  it('refuses a merge of a patient into itself (AE 102 at MRG-1)', () => {
    expect(() => checkMerge({ ...merge, prior: { identifiers: [{ value: '12345', issuer: 'CHU-NORD' }] } }, 1)).toThrow(Hl7Error);
    expect(() => checkMerge({ ...merge, prior: { identifiers: [{ value: '12345', issuer: 'CHU-NORD' }] } }, 1)).toThrow(
      expect.objectContaining({ code: 102, location: { segment: 'MRG', segmentSequence: 2, field: 1 } }),
    );
    expect(() => checkMerge(merge, 0)).not.toThrow();
  });

  it('files the prior studies under the surviving identifier of the same issuer', () => {
    const surviving = {
      ...merge.surviving,
      identifiers: [
        { value: 'L1', issuer: 'LABO' },
        { value: '12345', issuer: 'CHU-NORD' },
      ],
    };
    expect(survivingIdentifierFor({ value: '54321', issuer: 'CHU-NORD' }, surviving)).toEqual({ value: '12345', issuer: 'CHU-NORD' });
    expect(survivingIdentifierFor({ value: '1', issuer: 'OTHER' }, surviving)).toEqual({ value: 'L1', issuer: 'LABO' });
  });
});

describe('catalogue values', () => {
  it('writes names as DICOM PN and leaves an unknown sex alone', () => {
    expect(dicomPersonName({ familyName: 'DUPONT', givenName: 'Hélène' })).toBe('DUPONT^Hélène');
    expect(dicomPersonName({ familyName: 'DUPONT' })).toBe('DUPONT');
    expect([dicomSex('F'), dicomSex('U'), dicomSex(undefined)]).toEqual(['F', null, null]);
  });
});
