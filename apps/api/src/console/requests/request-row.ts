import type { RequestView } from '@krypton/pathway';

/** The OHIF viewer on one study (served by the api at /viewer, same sign-in cookie). */
export function viewerUrl(studyInstanceUid: string): string {
  return `/viewer?StudyInstanceUIDs=${encodeURIComponent(studyInstanceUid)}`;
}

/** What a request's line shows in every console list (referrer, coordinator, patient). */
export function requestRow(r: RequestView) {
  return {
    id: r.id,
    state: r.state,
    priority: r.priority,
    procedure: r.procedure.label ?? r.procedure.code,
    procedureCode: r.procedure.code,
    unmapped: r.procedure.unmapped,
    patient: `${r.patient.familyName}${r.patient.givenName ? ` ${r.patient.givenName}` : ''}`,
    patientIds: [r.patient.ins ? `INS ${r.patient.ins}` : null, ...r.patient.identifiers.map((i) => `${i.value} (${i.issuer})`)].filter(Boolean).join(', '),
    site: r.scheduled?.site ?? r.targetSite,
    scheduled: r.scheduled,
    accessionNumber: r.accessionNumber,
    studyInstanceUid: r.acquiredStudyUid ?? r.studyInstanceUid,
    attention: r.attention,
    reading: r.reading,
    clinicalInformation: r.clinicalInformation,
    referrer: r.referrer,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    terminal: r.state === 'closed' || r.state === 'cancelled',
  };
}
