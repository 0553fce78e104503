/** The peer refused the association (A-ASSOCIATE-RJ). `permanent` mirrors the reject result. */
export class AssociationRejectedError extends Error {
  constructor(
    public readonly peer: string,
    public readonly result: number,
    public readonly source: number,
    public readonly reason: number,
  ) {
    super(`${peer} rejected the association (result ${result}, source ${source}, reason ${reason})`);
    this.name = 'AssociationRejectedError';
  }
  get permanent(): boolean {
    return this.result === 1;
  }
}

/** Connection refused, reset, timed out or aborted: worth retrying later. */
export class PeerUnavailableError extends Error {
  constructor(
    public readonly peer: string,
    message: string,
  ) {
    super(`${peer}: ${message}`);
    this.name = 'PeerUnavailableError';
  }
}
