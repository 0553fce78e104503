/** The bytes do not form a readable DICOM data set (truncated, wrong encoding, garbage). */
export class InvalidDicomError extends Error {
  constructor(message: string, public readonly cause?: unknown) {
    super(message);
    this.name = 'InvalidDicomError';
  }
}

/** A data set that parses but lacks an attribute the hub cannot do without (a UID, usually). */
export class MissingAttributeError extends Error {
  constructor(public readonly attribute: string, message?: string) {
    super(message ?? `missing or invalid ${attribute}`);
    this.name = 'MissingAttributeError';
  }
}
