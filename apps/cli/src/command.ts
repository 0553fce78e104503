/**
 * The contract between the `krypton` dispatcher (main.ts) and its commands. A command is a path
 * of words ("dose extract") plus a run function that returns the process exit code; it never
 * calls process.exit itself, so commands can be unit-tested and composed.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface Command {
  /** Words that select the command, e.g. ['dose', 'extract']. */
  readonly path: readonly string[];
  /** One line for the usage listing: arguments and what it does. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by all commands. */
export const EXIT = {
  ok: 0,
  /** The command ran but at least one input failed (reported per input). */
  inputFailed: 1,
  /** Bad command line: unknown command or option, missing argument. */
  usage: 2,
} as const;

/** A bad command line; the dispatcher prints the message and the usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    public readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
