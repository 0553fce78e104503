/** The data set contradicts its command or presentation context (DIMSE 0xA900, STOW 409 with reason). */
export class DatasetMismatchError extends Error {
  constructor(
    public readonly attribute: string,
    public readonly expected: string,
    public readonly actual: string | null,
  ) {
    super(`${attribute} in the data set (${actual ?? 'absent'}) does not match the request (${expected})`);
    this.name = 'DatasetMismatchError';
  }
}

/**
 * More stored objects wait for indexing than `ingest.maxBacklog` allows (the indexer or its
 * database has been away for long): new objects are refused (out of resources) until it drains,
 * so that the backlog stays one an operator can see through.
 */
export class IndexBacklogFullError extends Error {
  constructor(
    public readonly backlog: number,
    public readonly limit: number,
  ) {
    super(`${backlog} stored objects wait for indexing (limit ${limit})`);
    this.name = 'IndexBacklogFullError';
  }
}
