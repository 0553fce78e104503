import { INS_ISSUERS, PatientSelector } from './patient-selector';

/** A condition with `$` placeholders, numbered by the caller in order (the catalogue's SqlCondition). */
export interface PatientSqlCondition {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Columns of the table holding the patient (the catalogue's `patient p` by default). */
export interface PatientColumns {
  readonly patientId: string;
  readonly issuer: string;
  readonly ins: string;
}

export const CATALOG_PATIENT_COLUMNS: PatientColumns = { patientId: 'p.patient_id', issuer: 'p.issuer', ins: 'p.ins' };

/**
 * The rule in SQL (matchesPatient is the same rule in memory): an INS reaches the records that
 * carry it and those filed with the INS itself as Patient ID; a local identifier its one record;
 * a bare Patient ID every issuer's record of that ID — which is why retrieves decide on the
 * matches (decidePatient) before they send anything.
 */
export function patientSqlCondition(sel: PatientSelector, c: PatientColumns = CATALOG_PATIENT_COLUMNS): PatientSqlCondition {
  switch (sel.kind) {
    case 'ins':
      return { sql: `(${c.ins} = $ OR (${c.patientId} = $ AND ${c.issuer} = ANY($)))`, params: [sel.ins, sel.ins, [...INS_ISSUERS]] };
    case 'local':
      return { sql: `(${c.patientId} = $ AND ${c.issuer} = $)`, params: [sel.patientId, sel.issuer] };
    case 'bare':
      return { sql: `${c.patientId} = $`, params: [sel.patientId] };
  }
}

/** Any of several patients (an ADT message's identifiers, a cohort's list); `false` for none. */
export function anyPatientSqlCondition(sels: readonly PatientSelector[], c: PatientColumns = CATALOG_PATIENT_COLUMNS): PatientSqlCondition {
  if (sels.length === 0) return { sql: 'false', params: [] };
  const each = sels.map((s) => patientSqlCondition(s, c));
  return { sql: `(${each.map((e) => e.sql).join(' OR ')})`, params: each.flatMap((e) => e.params) };
}

/** Numbers the `$` placeholders of a condition from `first` (for callers writing their own statement). */
export function numberPlaceholders(cond: PatientSqlCondition, first = 1): string {
  let n = first;
  return cond.sql.replace(/\$/g, () => `$${n++}`);
}
