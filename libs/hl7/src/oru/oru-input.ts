import type { RequestPatient, RequestReferrer } from '@krypton/pathway';

/** A date-time as a Date or an ISO 8601 string (what a Temporal activity receives). */
export type Hl7DateTimeInput = Date | string;

/** The signed report carried by an ORU^R01. */
export interface OruReport {
  /** OBR-25 / OBX-11: F for a final report, C for a correction of one already sent. */
  readonly status: 'F' | 'C';
  /** Findings, as the radiologist wrote them; line breaks are kept (one OBX per line). */
  readonly findings: string;
  /** Conclusion (impression); may be empty when the findings say it all. */
  readonly conclusion: string;
  /** The radiologist who signed (OBR-32, OBX-16). */
  readonly radiologist: { readonly name: string; readonly rpps?: string };
  readonly signedAt: Hl7DateTimeInput;
}

/** Everything an ORU^R01 says about one exam; the pathway reads it from the request and the report. */
export interface OruInput {
  /**
   * MSH-10, at most 20 characters (ST(20) in v2.5: longer ones are truncated by some receivers,
   * whose MSA-2 then matches nothing). Keep it the same for every retry of one report version, so
   * that a receiver whose ACK was lost recognises the resend.
   */
  readonly messageControlId: string;
  /** MSH-3 / MSH-4: the hub. */
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  /** MSH-5 / MSH-6: the system that placed the order (see `placerSystemParts`). */
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly patient: RequestPatient;
  /** ORC-2 / OBR-2, when the order came with one. */
  readonly placerOrderNumber?: string;
  /** ORC-3 / OBR-3: the accession number. */
  readonly fillerOrderNumber: string;
  /** OBR-4; `codingSystem` (e.g. CCAM) is written as the third component when known. */
  readonly procedure: { readonly code: string; readonly label?: string | null; readonly codingSystem?: string };
  /** ORC-12 / OBR-16. */
  readonly referrer: RequestReferrer;
  /** OBR-7: when the exam was done. */
  readonly observationDateTime: Hl7DateTimeInput;
  readonly report: OruReport;
  /** OBX of type HD with the Study Instance UID, so that the receiver can open the images. */
  readonly studyInstanceUid?: string | null;
}

/** An ORU input that cannot make a valid message: a bug or bad data upstream, never worth a retry. */
export class OruInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'OruInputError';
  }
}
