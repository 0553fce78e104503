import { hashPassword } from '@krypton/config';
import { sha256Hex } from '@krypton/auth';
import { Command, EXIT, UsageError } from '../command';

/** The secret: the one argument, else standard input (so it stays out of shell history), without its final newline. */
async function secret(args: readonly string[], stdin: () => Promise<string>): Promise<string> {
  if (args.length > 1) throw new UsageError('one secret at most');
  const value = args[0] ?? (await stdin()).replace(/\r?\n$/, '');
  if (!value) throw new UsageError('no secret given (argument or standard input)');
  return value;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** `krypton auth hash-password`: the scrypt hash for `auth.devIdp.passwordHash`. */
export function hashPasswordCommand(stdin = readStdin): Command {
  return {
    path: ['auth', 'hash-password'],
    usage: '[password]  scrypt hash for auth.devIdp.passwordHash (password from stdin if absent)',
    async run(args, io) {
      io.stdout(`${hashPassword(await secret(args, stdin))}\n`);
      return EXIT.ok;
    },
  };
}

/** `krypton auth hash-token`: the SHA-256 for `users[].tokenSha256`. */
export function hashTokenCommand(stdin = readStdin): Command {
  return {
    path: ['auth', 'hash-token'],
    usage: '[token]  SHA-256 for users[].tokenSha256 (token from stdin if absent)',
    async run(args, io) {
      io.stdout(`${sha256Hex(await secret(args, stdin))}\n`);
      return EXIT.ok;
    },
  };
}
