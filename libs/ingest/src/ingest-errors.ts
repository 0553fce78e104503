/** The data set contradicts its command or presentation context (DIMSE 0xA900, STOW 409 with reason). */
export class DatasetMismatchError extends Error {
  constructor(public readonly attribute: string, public readonly expected: string, public readonly actual: string | null) {
    super(`${attribute} in the data set (${actual ?? 'absent'}) does not match the request (${expected})`);
    this.name = 'DatasetMismatchError';
  }
}

/** The object was stored but could not be queued for indexing; the sender should retry (it is idempotent). */
export class IndexQueueUnavailableError extends Error {
  constructor(public readonly cause: any) {
    super(`indexing queue unavailable: ${cause?.message ?? cause}`);
    this.name = 'IndexQueueUnavailableError';
  }
}
