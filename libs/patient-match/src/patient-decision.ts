import { PatientRecord, PatientSelector } from './patient-selector';

/**
 * What a set of matching catalogue records means for a request that selects by patient.
 * `one`: a single person (one record, or several records joined by the INS the request gave);
 * `ambiguous`: a bare Patient ID held by more than one issuer — a different person per issuer.
 */
export type PatientDecision<T extends PatientRecord = PatientRecord> =
  { readonly kind: 'none' } | { readonly kind: 'one'; readonly records: readonly T[] } | { readonly kind: 'ambiguous'; readonly patientId: string; readonly issuers: readonly string[] };

export function decidePatient<T extends PatientRecord>(sel: PatientSelector, matches: readonly T[]): PatientDecision<T> {
  if (matches.length === 0) return { kind: 'none' };
  if (sel.kind === 'bare') {
    const issuers = [...new Set(matches.map((m) => m.issuer))].sort();
    if (issuers.length > 1) return { kind: 'ambiguous', patientId: sel.patientId, issuers };
  }
  return { kind: 'one', records: matches };
}

/**
 * A retrieve whose Patient ID names several patients. Error Comment (LO, 64 characters) says what
 * to add; the issuers are in the data for the log, not in the comment (that would disclose which
 * other sites know a patient by that number).
 */
export class AmbiguousPatientError extends Error {
  constructor(
    public readonly patientId: string,
    public readonly issuers: readonly string[],
  ) {
    super(`Patient ID ${patientId} is ambiguous: give the Issuer of Patient ID`);
    this.name = 'AmbiguousPatientError';
  }

  /** The message, or without the ID when a long ID would push the advice past 64 characters. */
  get errorComment(): string {
    return this.message.length <= 64 ? this.message : 'Patient ID is ambiguous: give the Issuer of Patient ID';
  }
}

/**
 * The calling AE's default issuer applied to a bare Patient ID (the AE's site numbers its
 * patients in that namespace). Other selectors are returned unchanged.
 */
export function withDefaultIssuer(sel: PatientSelector, issuer: string): PatientSelector {
  return sel.kind === 'bare' ? { kind: 'local', patientId: sel.patientId, issuer } : sel;
}
