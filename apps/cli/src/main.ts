import { CliIo, Command, EXIT, UsageError } from './command';
import { hashPasswordCommand, hashTokenCommand } from './commands/auth-hash.command';
import { deidCommand } from './commands/deid.command';
import { doseExtractCommand } from './commands/dose-extract.command';
import { auditVerifyCommand } from './commands/audit-verify.command';
import { reindexCommand } from './commands/reindex.command';

/**
 * `krypton` — the hub's operator command line (`npm run --silent krypton -- <command> ...`).
 * To add a command, write it in commands/<name>.command.ts and list it here; the dispatcher
 * picks the command whose word path is the longest prefix of the arguments.
 */
export const COMMANDS: readonly Command[] = [hashPasswordCommand(), hashTokenCommand(), deidCommand, doseExtractCommand, reindexCommand, auditVerifyCommand];

export function usage(commands: readonly Command[] = COMMANDS): string {
  const lines = commands.map((c) => `  krypton ${c.path.join(' ')} ${c.usage}`);
  return ['Usage:', ...lines, '  krypton help'].join('\n') + '\n';
}

export async function main(argv: readonly string[], io: CliIo, commands = COMMANDS): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0])) {
    (argv.length === 0 ? io.stderr : io.stdout)(usage(commands));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const command = findCommand(argv, commands);
  if (!command) {
    io.stderr(`krypton: unknown command "${argv.slice(0, 2).join(' ')}"\n${usage(commands)}`);
    return EXIT.usage;
  }
  try {
    return await command.run(argv.slice(command.path.length), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`krypton ${command.path.join(' ')}: ${error.message}\n${usage([command])}`);
      return EXIT.usage;
    }
    throw error;
  }
}

function findCommand(argv: readonly string[], commands: readonly Command[]): Command | undefined {
  return [...commands].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((word, i) => argv[i] === word));
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`krypton: ${error?.stack ?? error}\n`);
      process.exitCode = 70; // EX_SOFTWARE: a bug, not a bad input
    },
  );
}
