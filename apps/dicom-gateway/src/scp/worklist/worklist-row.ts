import type { WorklistPatient, WorklistRow } from '@krypton/pathway';
import { INS_ISSUERS } from '@krypton/patient-match';

/**
 * Coding scheme of the procedure codes: the region's own catalogue (`config/procedures.yaml`),
 * whose shipped codes only look like CCAM. "99" marks a local scheme (PS3.16 8.2); a deployment
 * whose catalogue is checked CCAM would answer "CCAM" here instead.
 */
export const PROCEDURE_CODING_SCHEME = '99KRYPTON';

/** The production INS-NIR authority: the patient record keeps the INS, not which of the two OIDs it came with. */
export const INS_ISSUER = INS_ISSUERS[0];

/** Requested Procedure Priority defined terms (PS3.3 C.4.11): the request's three levels map onto them. */
const PRIORITY: Record<string, string> = { routine: 'ROUTINE', urgent: 'HIGH', emergency: 'STAT' };

export function dicomPriority(priority: string): string {
  return PRIORITY[priority] ?? 'ROUTINE';
}

/** Removes the characters that delimit PN components, groups and values, so a name cannot be split by its content. */
function pnComponent(s: string | undefined): string {
  return (s ?? '').replace(/[\\^=]/g, ' ').trim();
}

/** Patient's Name as family^given (PS3.5 6.2.1.1); the trailing caret is dropped when there is no given name. */
export function patientName(p: WorklistPatient): string {
  const family = pnComponent(p.familyName);
  const given = pnComponent(p.givenName);
  return given ? `${family}^${given}` : family;
}

/** A free-text name ("Dr Jeanne MARTIN") kept whole as the family-name component: splitting it would guess. */
export function freeTextName(name: string | undefined): string {
  return pnComponent(name);
}

/** Values of VR LO/SH are cut at their maximum length rather than refused by the SCU's parser. */
export function fit(s: string | null | undefined, max: number): string {
  return (s ?? '').slice(0, max);
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

export interface PatientIdentity {
  readonly patientId: string;
  readonly issuer: string;
  /** IssuerOfPatientIDQualifiersSequence item when the issuer is an OID. */
  readonly qualifiers: { readonly UniversalEntityID: string; readonly UniversalEntityIDType: string } | null;
  readonly others: readonly { readonly PatientID: string; readonly IssuerOfPatientID: string }[];
}

/**
 * The identifier the modality writes into the images: the INS with its national OID when known
 * (the catalogue files a patient under it), otherwise the first local identifier with its
 * issuer. The remaining identifiers are offered as Other Patient IDs.
 */
export function patientIdentity(p: WorklistPatient): PatientIdentity {
  const locals = (p.identifiers ?? []).filter((i) => i && i.value);
  const [primary, ...rest] = p.ins ? [{ value: p.ins, issuer: INS_ISSUER }, ...locals] : locals;
  if (!primary) return { patientId: '', issuer: '', qualifiers: null, others: [] };
  return {
    patientId: fit(primary.value, 64),
    issuer: fit(primary.issuer, 64),
    qualifiers: OID.test(primary.issuer) ? { UniversalEntityID: primary.issuer, UniversalEntityIDType: 'ISO' } : null,
    others: rest.map((i) => ({ PatientID: fit(i.value, 64), IssuerOfPatientID: fit(i.issuer, 64) })),
  };
}

/** The requested procedure as a code item; the label stands in as Code Meaning (the code itself when unmapped). */
export function procedureCode(row: WorklistRow): Record<string, string> {
  return {
    CodeValue: fit(row.procedure_code, 16),
    CodingSchemeDesignator: PROCEDURE_CODING_SCHEME,
    CodeMeaning: fit(row.procedure_label ?? row.procedure_code, 64),
  };
}
