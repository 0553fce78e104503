import { DimseStatus } from '@krypton/dicom-network';

/**
 * An N-CREATE or N-SET the hub refuses, with the DIMSE status that says why (PS3.4 F.7.2,
 * PS3.7 Annex C). The message goes into Error Comment.
 */
export class MppsRefusedError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly sopInstanceUid: string | null,
  ) {
    super(message);
    this.name = 'MppsRefusedError';
  }
}

/** A type 1 attribute of N-CREATE is absent (0x0120). */
export class MppsMissingAttributeError extends MppsRefusedError {
  constructor(
    public readonly attribute: string,
    sopInstanceUid: string | null,
  ) {
    super(DimseStatus.MissingAttribute, `${attribute} is missing`, sopInstanceUid);
    this.name = 'MppsMissingAttributeError';
  }
}

/** A value the SOP class does not allow here: a status other than IN PROGRESS at creation, an unknown status (0x0106). */
export class MppsInvalidValueError extends MppsRefusedError {
  constructor(
    public readonly attribute: string,
    public readonly value: string,
    sopInstanceUid: string | null,
  ) {
    super(DimseStatus.InvalidAttributeValue, `${attribute} "${value}" is not allowed here`, sopInstanceUid);
    this.name = 'MppsInvalidValueError';
  }
}

/** N-CREATE of a SOP Instance UID the hub already holds (0x0111). */
export class DuplicateMppsError extends MppsRefusedError {
  constructor(sopInstanceUid: string) {
    super(DimseStatus.DuplicateSopInstance, `MPPS ${sopInstanceUid} already exists`, sopInstanceUid);
    this.name = 'DuplicateMppsError';
  }
}

/** N-SET of a SOP Instance UID the hub does not hold (0x0112). */
export class NoSuchMppsError extends MppsRefusedError {
  constructor(sopInstanceUid: string) {
    super(DimseStatus.NoSuchObjectInstance, `no MPPS ${sopInstanceUid}`, sopInstanceUid);
    this.name = 'NoSuchMppsError';
  }
}

/** N-SET of a step already COMPLETED or DISCONTINUED (0x0110, PS3.4 F.7.2.2: "may no longer be updated"). */
export class MppsClosedError extends MppsRefusedError {
  constructor(
    sopInstanceUid: string,
    public readonly currentStatus: string,
  ) {
    super(DimseStatus.ProcessingFailure, `MPPS is ${currentStatus}: may no longer be updated`, sopInstanceUid);
    this.name = 'MppsClosedError';
  }
}

/**
 * The acquisition queue did not take the job: the row is rolled back and the modality told
 * 0x0110, so that it sends the step again rather than the hub holding it without the pathway knowing.
 */
export class AcquisitionQueueUnavailableError extends MppsRefusedError {
  constructor(
    sopInstanceUid: string,
    public readonly cause: unknown,
  ) {
    super(DimseStatus.ProcessingFailure, `acquisition queue unavailable: ${(cause as Error)?.message ?? cause}`, sopInstanceUid);
    this.name = 'AcquisitionQueueUnavailableError';
  }
}
