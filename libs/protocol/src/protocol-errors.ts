/** One problem in a protocol document, at a path such as `rules[2].match.timeWindow.from`. */
export interface ProtocolIssue {
  readonly path: string;
  readonly message: string;
}

/** A protocol document that does not validate; carries every issue, not only the first. */
export class ProtocolValidationError extends Error {
  readonly nonRetryable = true;
  constructor(public readonly issues: readonly ProtocolIssue[]) {
    super(`invalid protocol: ${issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ')}`);
    this.name = 'ProtocolValidationError';
  }
}
