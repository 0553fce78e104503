/**
 * The bytes given to the dose extractor are not a DICOM data set it can read (truncated, not
 * Part 10, broken encoding). Carries the file when the caller knows it, so a batch can report the
 * failure against the right input and carry on with the others.
 */
export class DoseParseError extends Error {
  constructor(
    message: string,
    public readonly file?: string,
    public readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DoseParseError';
  }
}
