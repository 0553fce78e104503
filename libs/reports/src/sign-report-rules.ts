import { isValidUid } from '@krypton/dicom-codec';
import { ReportInputError } from './report-errors';
import { parseInstant } from './report-time';
import type { LockedRequest } from './report.store';
import type { SignReportInput } from './sign-report-input';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function required(field: string, value: string | undefined | null): void {
  if (typeof value !== 'string' || value.trim() === '') throw new ReportInputError(field, 'must not be empty');
}

/**
 * What the types cannot say about a signing input; checked before anything is written.
 * @returns the signature instant.
 * @throws ReportInputError naming the field.
 */
export function checkSignInput(input: SignReportInput): Date {
  if (!UUID.test(input.requestId ?? '')) throw new ReportInputError('requestId', `"${input.requestId}" is not a UUID`);
  required('idemKey', input.idemKey);
  required('radiologist.name', input.radiologist?.name);
  required('findings', input.findings);
  required('conclusion', input.conclusion);
  required('patient.familyName', input.patient?.familyName);
  required('referrer.name', input.referrer?.name);
  required('exam.procedureLabel', input.exam?.procedureLabel);
  required('exam.site.name', input.exam?.site?.name);
  required('exam.accessionNumber', input.exam?.accessionNumber);
  // SH: at most 16 characters; the hub's own are 10.
  if (input.exam.accessionNumber.length > 16) throw new ReportInputError('exam.accessionNumber', 'is longer than 16 characters');
  if (!isValidUid(input.exam.studyInstanceUid)) throw new ReportInputError('exam.studyInstanceUid', `"${input.exam.studyInstanceUid}" is not a valid DICOM UID`);
  const signedAt = parseInstant(input.signedAt ?? '');
  if (!signedAt) throw new ReportInputError('signedAt', `"${input.signedAt}" is not an ISO 8601 date-time with a time zone`);
  return signedAt;
}

/**
 * A report filed in another exam's study would be shown with the wrong images: the request's own
 * accession number and Study Instance UID, once allocated, must be the ones given. A request
 * without them yet (never scheduled) has nothing to contradict.
 */
export function checkRequestMatches(request: LockedRequest, input: SignReportInput): void {
  // The acquired study wins: a coordinator may have attached a study whose UID the modality generated.
  const study = request.acquiredStudyUid ?? request.studyInstanceUid;
  if (study && study !== input.exam.studyInstanceUid) {
    throw new ReportInputError('exam.studyInstanceUid', `request ${request.id} has study ${study}, not ${input.exam.studyInstanceUid}`);
  }
  if (request.accessionNumber && request.accessionNumber !== input.exam.accessionNumber) {
    throw new ReportInputError('exam.accessionNumber', `request ${request.id} has accession number ${request.accessionNumber}, not ${input.exam.accessionNumber}`);
  }
}
