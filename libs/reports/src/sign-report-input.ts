import type { RequestPatient, RequestReferrer } from '@krypton/pathway';

/** The exam the report is about, as the pathway knows it once scheduled. */
export interface ReportExam {
  readonly accessionNumber: string;
  readonly studyInstanceUid: string;
  readonly procedureCode: string;
  readonly procedureLabel: string;
  /** When the images were acquired: YYYYMMDD (DICOM DA) or ISO 8601; absent before acquisition is known. */
  readonly examDate?: string;
  /** The performing site (a `sites:` entry of the configuration fits). */
  readonly site: { readonly name: string; readonly finess?: string };
}

/**
 * The patient module of the report's DICOM object as the archive already files the study
 * (PatientID, issuer, name...). A report filed under other values than the images would split the
 * patient in every PACS it is sent to, so these win over the request's patient for DICOM.
 */
export interface ArchivePatient {
  readonly patientId: string;
  readonly issuer: string;
  /** DICOM PN (FAMILY^Given). */
  readonly patientName: string | null;
  /** YYYYMMDD */
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly ins: string | null;
}

export interface SignReportInput {
  readonly requestId: string;
  /**
   * One signature, however many times it is attempted: a call with a key already used answers the
   * report it created and writes nothing. From an activity: workflow run id + activity id.
   */
  readonly idemKey: string;
  /** `id`: RPPS number when known. */
  readonly radiologist: { readonly name: string; readonly id?: string };
  /** ISO 8601 with an offset or Z; the PDF, DICOM Content Date/Time and the row all take it. */
  readonly signedAt: string;
  readonly findings: string;
  readonly conclusion: string;
  readonly technique?: string;
  readonly clinicalInformation?: string;
  readonly exam: ReportExam;
  readonly patient: RequestPatient;
  readonly referrer: RequestReferrer;
  /**
   * Optional: the archive's patient values for the study. When absent the service reads them from
   * the catalogue, and falls back to the request's patient when the study has no image yet.
   */
  readonly archivePatient?: ArchivePatient;
}

/** What `signReport` answers; plain data, so it can be an activity result. */
export interface SignedReport {
  readonly reportId: string;
  readonly version: number;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly pdfSha256: string;
  readonly renderedText: string;
  /** ISO 8601 (UTC) */
  readonly signedAt: string;
  /** False when the idempotency key had been used: the answer is the first call's report. */
  readonly created: boolean;
}

/** A stored report without its PDF bytes. */
export interface ReportView {
  readonly id: string;
  readonly requestId: string;
  readonly version: number;
  readonly status: 'final';
  readonly radiologist: { readonly name: string; readonly id: string | null };
  /** ISO 8601 (UTC) */
  readonly signedAt: string;
  readonly technique: string | null;
  readonly findings: string;
  readonly conclusion: string;
  readonly renderedText: string;
  readonly pdfSha256: string;
  readonly pdfBytes: number;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly createdAt: string;
}
