/** Raised at start-up when the configuration is unusable; `problems` name each bad key. */
export class ConfigError extends Error {
  constructor(
    message: string,
    public readonly source: string,
    public readonly problems: readonly string[],
  ) {
    super(`${message} (${source}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
