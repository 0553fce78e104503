/**
 * Who a request means when it names a patient. Local patient numbers collide between the
 * region's sites all the time ("DUP-1" at the CHU and at the clinic are two people), so a patient
 * is a Patient ID within its issuer, or the national INS — never a bare Patient ID when the
 * catalogue holds that ID under more than one issuer (see patient-decision.ts).
 */
export type PatientSelector =
  /** The national health identifier: reaches every site's record of the person. */
  | { readonly kind: 'ins'; readonly ins: string }
  /** A Patient ID in its issuer's namespace; `issuer` may be '' for "filed without an issuer" (the catalogue's empty issuer). */
  | { readonly kind: 'local'; readonly patientId: string; readonly issuer: string }
  /** A Patient ID given without an issuer: it designates a patient only while one issuer holds it. */
  | { readonly kind: 'bare'; readonly patientId: string };

/** INS-NIR assigning authorities: production and test identities (ANS, référentiel INS). */
export const INS_ISSUERS: readonly string[] = ['1.2.250.1.213.1.4.8', '1.2.250.1.213.1.4.10'];

/** INS (NIR-based): 13 characters (digits; 2A/2B for Corsica at positions 6-7) and a 2-digit key. */
export const INS_PATTERN = /^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

export const isInsIssuer = (issuer: string | null | undefined): boolean => !!issuer && INS_ISSUERS.includes(issuer.trim());

/** The shape dcmjs gives a naturalized data set (and C-FIND/C-MOVE identifiers): only what the rule reads. */
export interface DicomPatientAttributes {
  readonly PatientID?: unknown;
  readonly IssuerOfPatientID?: unknown;
  readonly IssuerOfPatientIDQualifiersSequence?: unknown;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.length ? text(v[0]) : '';
  if (typeof v === 'object') return '';
  return String(v)
    .replace(/[\s\0]+$/, '')
    .replace(/^\s+/, '');
}

/**
 * The issuer of a data set's Patient ID: Issuer of Patient ID (0010,0021), else the Universal
 * Entity ID (0040,0032) of the Issuer of Patient ID Qualifiers Sequence (0010,0024) — PS3.3 C.7.1.1
 * lets a sender give the authority either way. '' when neither is given.
 */
export function issuerOfPatientId(ds: DicomPatientAttributes): string {
  const issuer = text(ds.IssuerOfPatientID);
  if (issuer) return issuer;
  const q = ds.IssuerOfPatientIDQualifiersSequence;
  const item = (Array.isArray(q) ? q[0] : q) as { UniversalEntityID?: unknown } | undefined;
  return item && typeof item === 'object' ? text(item.UniversalEntityID) : '';
}

/**
 * A selector from a Patient ID and its issuer as a request gave them: an INS issuer makes the
 * value an INS, another issuer a local identifier, no issuer a bare Patient ID. Null when no
 * Patient ID is given (the request does not select by patient).
 */
export function patientSelector(patientId: string, issuer = ''): PatientSelector | null {
  const id = patientId.trim();
  const iss = issuer.trim();
  if (!id) return null;
  if (isInsIssuer(iss)) return { kind: 'ins', ins: id.replace(/\s+/g, '').toUpperCase() };
  return iss ? { kind: 'local', patientId: id, issuer: iss } : { kind: 'bare', patientId: id };
}

/** The selector a DICOM identifier or data set carries (Patient ID with its issuer, see issuerOfPatientId). */
export function patientSelectorFromDicom(ds: DicomPatientAttributes): PatientSelector | null {
  return patientSelector(text(ds.PatientID), issuerOfPatientId(ds));
}

/** One catalogue patient record, as every door sees it. */
export interface PatientRecord {
  readonly patientId: string;
  readonly issuer: string;
  readonly ins: string | null;
}

/**
 * The rule in memory, for code that holds patient records rather than querying them (routing
 * rules on an incoming study, cohort membership). patientSqlCondition is the same rule in SQL.
 */
export function matchesPatient(sel: PatientSelector, p: PatientRecord): boolean {
  switch (sel.kind) {
    case 'ins':
      return p.ins === sel.ins || (p.patientId === sel.ins && isInsIssuer(p.issuer));
    case 'local':
      return p.patientId === sel.patientId && p.issuer === sel.issuer;
    case 'bare':
      return p.patientId === sel.patientId;
  }
}

/** How logs and error messages name a selector: `INS 1…`, `CHU-NORD|DUP-1`, `DUP-1 (no issuer)`. */
export function describeSelector(sel: PatientSelector): string {
  if (sel.kind === 'ins') return `INS ${sel.ins}`;
  if (sel.kind === 'local') return `${sel.issuer}|${sel.patientId}`;
  return `${sel.patientId} (no issuer)`;
}
