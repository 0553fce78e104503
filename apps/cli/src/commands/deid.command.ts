import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_OPTIONS,
  DeidInputError,
  DeidOption,
  OPTION_DESCRIPTORS,
  Part10Deidentifier,
  parseOptionNames,
  projectKey,
  removeInterruptedOutputs,
  UnknownDeidOptionError,
  WeakSecretError,
  writeDeidOutput,
} from '@krypton/deid';
import { CliIo, Command, EXIT, UsageError } from '../command';
import { DeidSummary, inputFiles } from './deid.output';

interface DeidArgs {
  readonly inputs: string[];
  readonly out: string;
  readonly project: string;
  readonly secretFile?: string;
  readonly options: DeidOption[];
}

/**
 * `krypton deid <file-or-folder...> --out <folder> [--project <id>] [--secret-file <file>]
 * [--options <names>]`: one de-identified Part 10 file per exported instance under --out, and a
 * JSON summary as the last line of stdout. The output folder holds de-identified files only: no
 * mapping, no original value. Exit 0 when every input was exported or quarantined.
 *
 * The key is the secret file's bytes, derived per project (--project, default "default"); the
 * same secret and project give the same pseudonyms and UIDs on every run. Without a secret file a
 * random key is used and said on stderr: that run's output cannot be linked to any other.
 *
 * Files are written by temporary name and rename; a run removes the temporaries an interrupted
 * run into the same folder left, so one run per output folder at a time.
 */
export const deidCommand: Command = {
  path: ['deid'],
  usage: `<file-or-folder...> --out <folder> [--project <id>] [--secret-file <file>] [--options <${OPTION_DESCRIPTORS.map((d) => d.name).join('|')},...>]   de-identify (PS3.15 Annex E)`,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseArgs(args);
    let secret: Buffer;
    if (parsed.secretFile) {
      try {
        secret = await readFile(parsed.secretFile);
      } catch (error) {
        throw new UsageError(`cannot read --secret-file ${parsed.secretFile}: ${error.message}`);
      }
    } else {
      io.stderr('krypton deid: no --secret-file: a random key is used, this output cannot be linked to another run\n');
      secret = randomBytes(32);
    }
    let engine: Part10Deidentifier;
    try {
      engine = new Part10Deidentifier({ secret: projectKey(checkedSecret(secret), parsed.project), options: parsed.options });
    } catch (error) {
      if (error instanceof WeakSecretError) throw new UsageError(error.message);
      throw error;
    }
    // An earlier run into this folder that was interrupted (Ctrl-C, a kill) between writing a
    // file's temporary and renaming it left the temporary; this run writes that file again.
    const { interrupted } = await removeInterruptedOutputs(parsed.out);
    if (interrupted.length) io.stderr(`krypton deid: removed ${interrupted.length} partial file(s) an interrupted run left in ${parsed.out}\n`);
    const summary: DeidSummary = { exported: 0, quarantined: [], failed: [] };
    for await (const file of inputFiles(parsed.inputs, summary)) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        summary.failed.push({ file, error: `cannot read file: ${error.message}` });
        continue;
      }
      try {
        const outcome = engine.deidentify(bytes);
        if (outcome.status === 'quarantined') summary.quarantined.push({ file, reason: outcome.reason });
        else {
          await writeDeidOutput(parsed.out, outcome.ids, outcome.part10);
          summary.exported++;
        }
      } catch (error) {
        if (!(error instanceof DeidInputError)) throw error;
        summary.failed.push({ file, error: error.message });
      }
    }
    io.stdout(JSON.stringify(summary) + '\n');
    return summary.failed.length ? EXIT.inputFailed : EXIT.ok;
  },
};

/** A secret file written by an editor ends with a newline that is not part of the secret. */
function checkedSecret(secret: Buffer): Buffer {
  const text = secret.toString('latin1');
  return /^[\x20-\x7e]+\r?\n$/.test(text) ? Buffer.from(text.replace(/\r?\n$/, ''), 'latin1') : secret;
}

function parseArgs(args: readonly string[]): DeidArgs {
  const inputs: string[] = [];
  let out: string | undefined;
  let project = 'default';
  let secretFile: string | undefined;
  let options: DeidOption[] = [...DEFAULT_OPTIONS];
  const value = (i: number, name: string) => {
    if (i >= args.length) throw new UsageError(`${name} needs a value`);
    return args[i];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out') out = value(++i, arg);
    else if (arg === '--project') project = value(++i, arg);
    else if (arg === '--secret-file') secretFile = value(++i, arg);
    else if (arg === '--options') {
      const names = value(++i, arg);
      try {
        options = names.trim() === '' || names.trim() === 'none' ? [] : parseOptionNames(names.split(','));
      } catch (error) {
        if (error instanceof UnknownDeidOptionError) throw new UsageError(error.message);
        throw error;
      }
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else inputs.push(arg);
  }
  if (!out) throw new UsageError('--out <folder> is required');
  if (inputs.length === 0) throw new UsageError('no file or folder given');
  if (project.trim() === '') throw new UsageError('--project needs a non-empty id');
  return { inputs, out, project, secretFile, options };
}
