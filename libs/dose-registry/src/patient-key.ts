import { InvalidPatientKeyError } from './dose-registry-errors';

export type PatientKey = { readonly kind: 'ins'; readonly ins: string } | { readonly kind: 'local'; readonly issuer: string; readonly patientId: string };

/** INS (NIR-based): 13 characters (digits; 2A/2B for Corsica at positions 6-7) and a 2-digit key. */
const INS = /^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/**
 * `patientKey` of the history route: an INS, or `issuer|patientId` (the issuer may be empty for
 * sites that send no Issuer of Patient ID, hence "|123" is valid).
 */
export function parsePatientKey(raw: string): PatientKey {
  const key = raw.trim();
  if (key.includes('|')) {
    const at = key.indexOf('|');
    const issuer = key.slice(0, at);
    const patientId = key.slice(at + 1);
    if (!patientId) throw new InvalidPatientKeyError(raw, 'patientId after "|" is empty');
    if (patientId.length > 64 || issuer.length > 64) throw new InvalidPatientKeyError(raw, 'issuer and patientId are at most 64 characters');
    return { kind: 'local', issuer, patientId };
  }
  const compact = key.replace(/\s+/g, '').toUpperCase();
  if (INS.test(compact)) return { kind: 'ins', ins: compact };
  throw new InvalidPatientKeyError(raw, 'expected an INS (15 characters) or "issuer|patientId"');
}
