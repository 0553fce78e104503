/** The bytes do not form a readable DICOM data set (truncated, wrong encoding, garbage). */
export class InvalidDicomError extends Error {
  constructor(
    message: string,
    public readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'InvalidDicomError';
  }
}

/**
 * The bytes end before the data set does (a value, an item or a sequence runs past the end). A
 * reader fed a prefix of an object tells "more bytes may complete this" from a malformed encoding.
 */
export class TruncatedDataSetError extends InvalidDicomError {
  constructor(message: string) {
    super(`data set truncated: ${message}`);
    this.name = 'TruncatedDataSetError';
  }
}

/** A data set that parses but lacks an attribute the hub cannot do without (a UID, usually). */
export class MissingAttributeError extends Error {
  constructor(
    public readonly attribute: string,
    message?: string,
  ) {
    super(message ?? `missing or invalid ${attribute}`);
    this.name = 'MissingAttributeError';
  }
}

/** A deflated data set that would inflate beyond the configured limit (a "zip bomb"): refused as out of resources. */
export class InflateLimitError extends Error {
  constructor(public readonly limitBytes: number) {
    super(`deflated data set inflates beyond ${limitBytes} bytes`);
    this.name = 'InflateLimitError';
  }
}

/** Sequences nested deeper than the limit: not understood (and never walked by recursion). */
export class SequenceDepthError extends InvalidDicomError {
  constructor(public readonly limit: number) {
    super(`sequences nested deeper than ${limit} levels`);
    this.name = 'SequenceDepthError';
  }
}
