import type { CatalogPatient, CatalogService, InstanceFilter } from '@krypton/catalog';
import { AmbiguousPatientError, decidePatient, patientSelector, PatientSelector, withDefaultIssuer } from '@krypton/patient-match';
import type { ParsedIdentifier } from '../find/identifier';

/** A retrieve's Patient ID is a unique key: one value, no wildcard (PS3.4 C.4.2.2.1); anything else could select many patients. */
export class InvalidRetrievePatientIdError extends Error {
  constructor(public readonly patientId: string) {
    super(`Patient ID "${patientId}" of a retrieve must be one value without wildcards`);
    this.name = 'InvalidRetrievePatientIdError';
  }
}

/** The Patient ID (with its issuer) a C-MOVE/C-GET identifier selects by, or null when it names none. */
export function retrievePatientSelector(id: ParsedIdentifier): PatientSelector | null {
  const patientId = (id.keys.PatientID ?? '').trim();
  if (/[*?\\]/.test(patientId)) throw new InvalidRetrievePatientIdError(patientId);
  return patientSelector(patientId, id.keys.IssuerOfPatientID ?? '');
}

export interface RetrievePatientOptions {
  /** The calling AE's `defaultIssuerOfPatientId`, applied only when the Patient ID alone is ambiguous. */
  readonly defaultIssuer?: string;
  /** Told when the default issuer was applied, for the log. */
  readonly onDefaultIssuer?: (applied: PatientSelector, ambiguousAmong: readonly string[]) => void;
}

/**
 * The patient records a retrieve designates, decided before anything is sent: the selector's
 * matches among the records holding the identifier's UIDs; a bare Patient ID held by several
 * issuers there is refused (AmbiguousPatientError) unless the calling AE has a default issuer.
 * A Patient ID together with a UID that only one of its patients holds is not ambiguous: the UID
 * designates the patient.
 */
export async function decideRetrievePatient(catalog: CatalogService, sel: PatientSelector, uids: InstanceFilter, opts: RetrievePatientOptions = {}): Promise<readonly CatalogPatient[]> {
  const decision = decidePatient(sel, await catalog.matchPatients(sel, uids));
  if (decision.kind === 'one') return decision.records;
  if (decision.kind === 'none') return [];
  if (!opts.defaultIssuer) throw new AmbiguousPatientError(decision.patientId, decision.issuers);
  const applied = withDefaultIssuer(sel, opts.defaultIssuer);
  opts.onDefaultIssuer?.(applied, decision.issuers);
  const again = decidePatient(applied, await catalog.matchPatients(applied, uids));
  return again.kind === 'one' ? again.records : [];
}
