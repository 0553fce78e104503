import { patientSelector, patientSqlCondition } from '@krypton/patient-match';
import type { SqlCondition } from './dicom-match';

const PATIENT_KEYS = ['PatientID', 'IssuerOfPatientID'] as const;

/**
 * C-FIND and QIDO-RS keys that name a patient, matched by the hub's patient-matching rule: a
 * Patient ID with its issuer is that issuer's record, with an INS issuer (1.2.250.1.213.1.4.8) the
 * INS, without an issuer every issuer's record — each answered with its own Issuer of Patient ID,
 * so the caller can tell them apart. Wildcard searches ("DUP*") are searches, not a patient:
 * they stay with the generic string matching (null here).
 * @returns the condition and the keys it consumed, or null to leave both keys to dicom-match.
 */
export function patientKeyCondition(keys: Readonly<Record<string, string>>): { condition: SqlCondition; consumed: readonly string[] } | null {
  const patientId = (keys.PatientID ?? '').trim();
  const issuer = (keys.IssuerOfPatientID ?? '').trim();
  if (!patientId || /[*?\\]/.test(patientId) || /[*?\\]/.test(issuer)) return null;
  const sel = patientSelector(patientId, issuer);
  return sel ? { condition: patientSqlCondition(sel), consumed: PATIENT_KEYS } : null;
}
