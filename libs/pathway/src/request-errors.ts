import type { PathwayState } from './pathway-state';

/** The procedure catalogue file is unusable; `problems` name each bad entry (path and code). */
export class ProcedureCatalogueError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: readonly string[],
  ) {
    super(`invalid procedure catalogue (${file}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ProcedureCatalogueError';
  }
}

/** A request field refused by a rule the DTOs cannot know (configuration, catalogue). */
export class RequestValidationError extends Error {
  constructor(
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'RequestValidationError';
  }
}

export class RequestNotFoundError extends Error {
  constructor(public readonly requestId: string) {
    super(`no request ${requestId}`);
    this.name = 'RequestNotFoundError';
  }
}

/** The pathway is not in a state that allows the step (e.g. scheduling a cancelled request). */
export class PathwayStateError extends Error {
  constructor(
    public readonly requestId: string,
    public readonly step: string,
    public readonly state: PathwayState | string,
    detail?: string,
  ) {
    super(detail ?? `${step} is not possible: request ${requestId} is ${state}`);
    this.name = 'PathwayStateError';
  }
}

/** The pathway refused a step for a reason other than its state (role, unknown AE...). */
export class PathwayRefusedError extends Error {
  constructor(
    public readonly requestId: string,
    public readonly step: string,
    public readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'PathwayRefusedError';
  }
}
