/** Where an MLLP send was going; every send error carries it, for the log line and the retry. */
export interface MllpTarget {
  readonly host: string;
  readonly port: number;
  /** MSH-10 of the message sent. */
  readonly controlId: string;
}

/**
 * A message that may not have been received: the caller sends it again (same MSH-10). None of
 * these means the receiver refused the message — that is an ACK with AE/AR, returned, not thrown.
 */
export class MllpSendError extends Error {
  readonly host: string;
  readonly port: number;
  readonly controlId: string;

  constructor(target: MllpTarget, message: string, options?: { cause?: unknown }) {
    super(`${message} (${target.host}:${target.port}, MSH-10 ${target.controlId})`, options);
    this.name = 'MllpSendError';
    this.host = target.host;
    this.port = target.port;
    this.controlId = target.controlId;
  }
}

/** The connection could not be opened (host unknown or unreachable...); `code` is Node's (ENOTFOUND...). */
export class MllpConnectError extends MllpSendError {
  constructor(
    target: MllpTarget,
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(target, `cannot connect${code ? ` (${code})` : ''}`, { cause });
    this.name = 'MllpConnectError';
  }
}

/** Nothing listens on the port: the receiver's interface engine is down or not yet started. */
export class MllpConnectionRefusedError extends MllpConnectError {
  constructor(target: MllpTarget, cause?: unknown) {
    super(target, 'ECONNREFUSED', cause);
    this.name = 'MllpConnectionRefusedError';
  }
}

/** No ACK within the time allowed; `stage` says whether the connection was even open. */
export class MllpTimeoutError extends MllpSendError {
  constructor(
    target: MllpTarget,
    readonly timeoutMs: number,
    readonly stage: 'connect' | 'ack',
  ) {
    super(target, stage === 'connect' ? `no connection within ${timeoutMs} ms` : `no ACK within ${timeoutMs} ms`);
    this.name = 'MllpTimeoutError';
  }
}

/** The receiver closed (or reset) the connection before acknowledging. */
export class MllpPeerClosedError extends MllpSendError {
  constructor(target: MllpTarget, cause?: unknown) {
    super(target, 'the receiver closed the connection without acknowledging', { cause });
    this.name = 'MllpPeerClosedError';
  }
}

/**
 * The answer was not the ACK of this message: MSA-2 names another control id (`received`), or the
 * answer could not be read as an ACK at all (`received` null). Either way this message's fate is
 * unknown, and the receiver's interface deserves a look.
 */
export class MllpAckMismatchError extends MllpSendError {
  constructor(
    target: MllpTarget,
    readonly received: string | null,
    readonly ack: string | null,
    cause?: unknown,
  ) {
    super(target, received === null ? 'the answer is not a readable ACK' : `the ACK names MSA-2 "${received}", not this message`, { cause });
    this.name = 'MllpAckMismatchError';
  }
}
