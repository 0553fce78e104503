/** The NRD table or the protocol mapping is unusable; `problems` name each bad entry. */
export class NrdConfigError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: readonly string[],
  ) {
    super(`invalid NRD configuration (${file}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'NrdConfigError';
  }
}

/** The dose job names an instance whose stored file is gone: nothing to retry. */
export class DoseSourceMissingError extends Error {
  constructor(
    public readonly storageKey: string,
    cause?: unknown,
  ) {
    super(`stored object ${storageKey} cannot be read`);
    this.name = 'DoseSourceMissingError';
    (this as { cause?: unknown }).cause = cause;
  }
}

export class DoseAlertNotFoundError extends Error {
  constructor(public readonly alertId: string) {
    super(`no dose alert ${alertId}`);
    this.name = 'DoseAlertNotFoundError';
  }
}
