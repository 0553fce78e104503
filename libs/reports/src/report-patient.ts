import type { RequestPatient } from '@krypton/pathway';
import type { ArchivePatient } from './sign-report-input';

/**
 * The DICOM patient module of a report whose study has no image in the archive yet (the report
 * is the first object): built from the request, the same way the worklist gives it to the
 * modality — the first local identifier as Patient ID with its assigning authority as issuer,
 * the INS apart. When images arrive later with other values, the catalogue keeps the study under
 * the patient of its first object (see catalog_index_instance).
 */
export function archivePatientFromRequest(p: RequestPatient): ArchivePatient {
  const local = p.identifiers[0];
  return {
    patientId: local?.value ?? p.ins ?? '',
    issuer: local?.issuer ?? (p.ins ? INS_NIR_OID : ''),
    patientName: p.givenName ? `${p.familyName}^${p.givenName}` : p.familyName,
    birthDate: p.birthDate ?? null,
    sex: p.sex ?? null,
    ins: p.ins ?? null,
  };
}

/** INS-NIR assigning authority (REFERENCE.md); test identities use 1.2.250.1.213.1.4.10, which the request does not tell apart. */
export const INS_NIR_OID = '1.2.250.1.213.1.4.8';
