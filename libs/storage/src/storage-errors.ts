/** The volume is full or nearly so; the sender should retry later (DIMSE 0xA700, HTTP 507). */
export class StorageFullError extends Error {
  constructor(
    public readonly freeBytes: number,
    public readonly cause?: unknown,
  ) {
    super(`storage is out of space (${Math.round(freeBytes / 1048576)} MB free)`);
    this.name = 'StorageFullError';
  }
}

export class ObjectNotFoundError extends Error {
  constructor(public readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}
