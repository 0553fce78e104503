/** No such protocol, or no such version of it. */
export class ProtocolNotFoundError extends Error {
  readonly nonRetryable = true;
  constructor(
    public readonly protocolId: string,
    public readonly version?: number,
  ) {
    super(version === undefined ? `no protocol "${protocolId}"` : `protocol "${protocolId}" has no version ${version}`);
    this.name = 'ProtocolNotFoundError';
  }
}

/** The document's id is not the id of the URL it was saved under. */
export class ProtocolIdMismatchError extends Error {
  readonly nonRetryable = true;
  constructor(
    public readonly urlId: string,
    public readonly documentId: string,
  ) {
    super(`the document's id "${documentId}" is not "${urlId}"`);
    this.name = 'ProtocolIdMismatchError';
  }
}
