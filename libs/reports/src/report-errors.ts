/**
 * Errors of the report library. `nonRetryable` tells an activity wrapper which failures to hand
 * Temporal as `ApplicationFailure.create({ type: name, nonRetryable: true })`: retrying the same
 * input cannot change them. Anything else (database, disk, Redis) is left to Temporal's retries.
 */
export abstract class ReportError extends Error {
  abstract readonly nonRetryable: boolean;
}

/** The report template is missing or broken; raised at start-up, naming the file. */
export class ReportTemplateError extends ReportError {
  readonly nonRetryable = true;
  constructor(
    public readonly file: string,
    public readonly reason: string,
  ) {
    super(`reports.templatesDir: template ${file} is unusable: ${reason}`);
    this.name = 'ReportTemplateError';
  }
}

/** A field of the signing input is refused (not a date, empty conclusion, study of another request...). */
export class ReportInputError extends ReportError {
  readonly nonRetryable = true;
  constructor(
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ReportInputError';
  }
}

export class ReportRequestNotFoundError extends ReportError {
  readonly nonRetryable = true;
  constructor(public readonly requestId: string) {
    super(`no request ${requestId}`);
    this.name = 'ReportRequestNotFoundError';
  }
}

/** The idempotency key already signed a report of another request: a caller bug, never a retry. */
export class ReportIdempotencyError extends ReportError {
  readonly nonRetryable = true;
  constructor(
    public readonly idemKey: string,
    public readonly requestId: string,
    public readonly otherRequestId: string,
  ) {
    super(`idempotency key ${idemKey} already signed a report of request ${otherRequestId}, not ${requestId}`);
    this.name = 'ReportIdempotencyError';
  }
}

export class ReportNotFoundError extends ReportError {
  readonly nonRetryable = true;
  constructor(
    public readonly requestId: string,
    public readonly version?: number,
  ) {
    super(version === undefined ? `request ${requestId} has no signed report` : `request ${requestId} has no report version ${version}`);
    this.name = 'ReportNotFoundError';
  }
}
