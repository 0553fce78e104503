import { HL7_ERROR_CODES, Hl7Error, PatientMerge } from '@krypton/hl7';
import type { PatientIdentifier, RequestPatient } from '@krypton/pathway';
import { localPatientKey, PatientSelector } from '@krypton/patient-match';

/**
 * How an ADT message changes the patient a request holds. Pure, so that the rules (what is kept,
 * what the sender overrides) are tested without a database; patient-identity.service.ts applies them.
 */

/** `issuer|value`: the form of `exam_request.patient_local_ids` (the patient-matching rule's text key). */
export function localIdKey(i: PatientIdentifier): string {
  return localPatientKey(i.issuer, i.value);
}

/** The patient-matching rule's selector of a sender's identifier: always within its issuer, never bare. */
export function localSelector(i: PatientIdentifier): PatientSelector {
  return { kind: 'local', patientId: i.value, issuer: i.issuer };
}

/** DICOM PN (Family^Given), as the catalogue's `patient.name` holds it. */
export function dicomPersonName(p: Pick<RequestPatient, 'familyName' | 'givenName'>): string {
  return p.givenName ? `${p.familyName}^${p.givenName}` : p.familyName;
}

/** DICOM Patient's Sex has no "unknown" value (U): it is left as it was. */
export function dicomSex(sex: RequestPatient['sex']): string | null {
  return sex === 'M' || sex === 'F' || sex === 'O' ? sex : null;
}

function union(a: readonly PatientIdentifier[], b: readonly PatientIdentifier[]): PatientIdentifier[] {
  const seen = new Set<string>();
  return [...a, ...b].filter((i) => {
    const k = localIdKey(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Same patient content, whatever the key order (jsonb reorders keys) or absent optional fields. */
export function samePatient(a: RequestPatient, b: RequestPatient): boolean {
  const ids = (p: RequestPatient) => p.identifiers.map(localIdKey).sort().join('\n');
  return (
    (a.ins ?? null) === (b.ins ?? null) &&
    a.familyName === b.familyName &&
    (a.givenName ?? null) === (b.givenName ?? null) &&
    (a.birthDate ?? null) === (b.birthDate ?? null) &&
    (a.sex ?? null) === (b.sex ?? null) &&
    ids(a) === ids(b)
  );
}

/**
 * A08: the sender's current demographics replace the request's. Identifiers the request had from
 * elsewhere are kept and the sender's are added; a field the sender left empty keeps its value
 * (an empty HL7 field means "not sent", not "erase").
 */
export function updatedPatient(current: RequestPatient, incoming: RequestPatient): RequestPatient {
  return {
    ins: incoming.ins ?? current.ins,
    identifiers: union(current.identifiers, incoming.identifiers),
    familyName: incoming.familyName,
    givenName: incoming.givenName ?? current.givenName,
    birthDate: incoming.birthDate ?? current.birthDate,
    sex: incoming.sex ?? current.sex,
  };
}

/**
 * A40: the request now belongs to the surviving patient. The prior identifiers (and a prior INS
 * named in MRG-1) go, the survivor's identifiers and demographics come.
 */
export function mergedPatient(current: RequestPatient, merge: PatientMerge): RequestPatient {
  const prior = new Set(merge.prior.identifiers.map(localIdKey));
  const kept = current.identifiers.filter((i) => !prior.has(localIdKey(i)));
  const s = merge.surviving;
  return {
    ins: s.ins ?? (merge.prior.ins && current.ins === merge.prior.ins ? undefined : current.ins),
    identifiers: union(kept, s.identifiers),
    familyName: s.familyName,
    givenName: s.givenName ?? current.givenName,
    birthDate: s.birthDate ?? current.birthDate,
    sex: s.sex ?? current.sex,
  };
}

/**
 * An MRG-1 that names one of the surviving identifiers would delete the survivor: refused (AE),
 * since the sender's message is wrong and applying it would lose a patient's record.
 */
export function checkMerge(merge: PatientMerge, index: number): void {
  const surviving = new Set(merge.surviving.identifiers.map(localIdKey));
  const same = merge.prior.identifiers.find((i) => surviving.has(localIdKey(i)));
  if (same || (merge.prior.ins && merge.prior.ins === merge.surviving.ins)) {
    throw new Hl7Error(HL7_ERROR_CODES.dataType, `MRG-1 names the surviving patient itself (${same ? localIdKey(same) : `INS ${merge.prior.ins}`})`, {
      segment: 'MRG',
      segmentSequence: index + 1,
      field: 1,
    });
  }
}

/**
 * The surviving identifier the catalogue files the prior patient's studies under: the one of the
 * same issuer (A40 merges within one identifier domain), else the first one the PID gives.
 */
export function survivingIdentifierFor(prior: PatientIdentifier, surviving: RequestPatient): PatientIdentifier | undefined {
  return surviving.identifiers.find((i) => i.issuer === prior.issuer) ?? surviving.identifiers[0];
}
