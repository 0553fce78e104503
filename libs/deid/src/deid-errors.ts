/** An option name that is not one of PS3.15's Options (or a contradictory pair of them). */
export class UnknownDeidOptionError extends Error {
  constructor(
    readonly option: string,
    readonly known: readonly string[],
    reason?: string,
  ) {
    super(reason ? `option ${option}: ${reason}` : `unknown de-identification option "${option}" (known: ${known.join(', ')})`);
    this.name = 'UnknownDeidOptionError';
  }
}

/** An input the engine cannot de-identify safely: it is reported as failed, never exported. */
export class DeidInputError extends Error {
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DeidInputError';
  }
}

/** A project secret that is too short to key HMACs with. */
export class WeakSecretError extends Error {
  constructor(
    readonly length: number,
    readonly minimum: number,
  ) {
    super(`the de-identification secret has ${length} bytes; at least ${minimum} are needed`);
    this.name = 'WeakSecretError';
  }
}
