import { INS_PATTERN, isInsIssuer, PatientSelector } from './patient-selector';

/** A patient key in text form that is neither an INS nor `issuer|patientId`. */
export class InvalidPatientKeyError extends Error {
  constructor(
    public readonly key: string,
    public readonly reason: string,
  ) {
    super(`patientKey "${key}": ${reason}`);
    this.name = 'InvalidPatientKeyError';
  }
}

/** A patient named in one string (REST paths, `exam_request.patient_local_ids`): never a bare Patient ID. */
export type PatientKey = Exclude<PatientSelector, { kind: 'bare' }>;

/**
 * Reads a patient key: an INS, or `issuer|patientId`. The issuer may be empty ("|123") for sites
 * that send no Issuer of Patient ID: that names the catalogue's records filed without an issuer,
 * not "any issuer". An INS issuer ("1.2.250.1.213.1.4.8|<INS>") is read as the INS.
 */
export function parsePatientKey(raw: string): PatientKey {
  const key = raw.trim();
  if (key.includes('|')) {
    const at = key.indexOf('|');
    const issuer = key.slice(0, at);
    const patientId = key.slice(at + 1);
    if (!patientId) throw new InvalidPatientKeyError(raw, 'patientId after "|" is empty');
    if (patientId.length > 64 || issuer.length > 64) throw new InvalidPatientKeyError(raw, 'issuer and patientId are at most 64 characters');
    if (isInsIssuer(issuer)) return insKey(raw, patientId);
    return { kind: 'local', issuer, patientId };
  }
  return insKey(raw, key);
}

function insKey(raw: string, value: string): PatientKey {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (INS_PATTERN.test(compact)) return { kind: 'ins', ins: compact };
  throw new InvalidPatientKeyError(raw, 'expected an INS (15 characters) or "issuer|patientId"');
}

/** `issuer|patientId`, the text form of a local identifier (and of `exam_request.patient_local_ids`). */
export function localPatientKey(issuer: string, patientId: string): string {
  return `${issuer}|${patientId}`;
}

export function formatPatientKey(key: PatientKey): string {
  return key.kind === 'ins' ? key.ins : localPatientKey(key.issuer, key.patientId);
}
