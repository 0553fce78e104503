/**
 * Errors of the DICOMweb services. Each carries the HTTP status PS3.18 gives for its case and
 * whatever a client needs to fix its request; DicomwebExceptionFilter renders them as
 * `{ "error": message, "status": N }` with a Warning header where PS3.18 expects one.
 */
export class DicomwebError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    /** The query parameter or header at fault, when there is one. */
    public readonly parameter?: string,
  ) {
    super(message);
    this.name = 'DicomwebError';
  }
}

export type DicomLevel = 'study' | 'series' | 'instance' | 'frame' | 'bulk data';

export class ResourceNotFoundError extends DicomwebError {
  constructor(
    public readonly level: DicomLevel,
    public readonly uid: string,
    within?: string,
  ) {
    super(404, `${level} ${uid} not found${within ? ` in ${within}` : ''}`);
    this.name = 'ResourceNotFoundError';
  }
}

export class BadParameterError extends DicomwebError {
  constructor(parameter: string, reason: string) {
    super(400, `${parameter}: ${reason}`, parameter);
    this.name = 'BadParameterError';
  }
}

/** The Accept header allows nothing the hub can send without transcoding (it never transcodes). */
export class NotAcceptableError extends DicomwebError {
  constructor(
    public readonly accept: string,
    reason: string,
  ) {
    super(406, `${reason} (Accept: ${accept})`, 'Accept');
    this.name = 'NotAcceptableError';
  }
}

export class UnsupportedMediaTypeError extends DicomwebError {
  constructor(
    public readonly contentType: string,
    reason: string,
  ) {
    super(415, `${reason} (Content-Type: ${contentType || 'absent'})`, 'Content-Type');
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class PayloadTooLargeError extends DicomwebError {
  constructor(
    public readonly limitBytes: number,
    public readonly storedBeforeLimit = 0,
  ) {
    super(413, `request body exceeds ${limitBytes} bytes` + (storedBeforeLimit ? `; ${storedBeforeLimit} instance(s) received before the limit were stored` : ''));
    this.name = 'PayloadTooLargeError';
  }
}

/** Formats a Warning header value (RFC 7234 5.5, code 299 as PS3.18 uses it) on one safe line. */
export function warningHeader(text: string): string {
  const clean = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/["\\]/g, "'")
    .slice(0, 900);
  return `299 krypton "${clean}"`;
}
