import { readFile } from 'node:fs/promises';
import { DoseParseError, extractDoseFromPart10 } from '@krypton/dose-extraction';
import { CliIo, Command, EXIT, UsageError } from '../command';
import { DoseExtractRecord, errorRecord, formatTable, recordOf } from './dose-extract.output';

/**
 * `krypton dose extract <file...> [--json]`: the dose of each DICOM file, in input order. One bad
 * file (missing, unreadable, not DICOM) is reported in its own record and the others still run;
 * the exit code is 1 when any file failed, so scripts notice without parsing the output.
 *
 * Image files are read for header dose: one with dose attributes is reported as CT/PROJECTION
 * with source "header", one without as NOT_DOSE.
 */
export const doseExtractCommand: Command = {
  path: ['dose', 'extract'],
  usage: '<file...> [--json]   radiation dose of each DICOM file (RDSR or image header)',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { files, json } = parseArgs(args);
    const records: DoseExtractRecord[] = [];
    // Sequential on purpose: output order is input order, and memory stays at one file.
    for (const file of files) records.push(await extractFile(file));
    io.stdout(json ? JSON.stringify(records, null, 2) + '\n' : formatTable(records));
    return records.some((r) => r.error !== undefined) ? EXIT.inputFailed : EXIT.ok;
  },
};

function parseArgs(args: readonly string[]): { files: string[]; json: boolean } {
  const files: string[] = [];
  let json = false;
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg === '--json') json = true;
    else if (!optionsEnded && arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('no file given');
  return { files, json };
}

async function extractFile(file: string): Promise<DoseExtractRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return errorRecord(file, `cannot read file: ${error?.message ?? error}`);
  }
  try {
    return recordOf(file, extractDoseFromPart10(bytes));
  } catch (error) {
    if (error instanceof DoseParseError) return errorRecord(file, error.message);
    throw error;
  }
}
