import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeidIdentifiers, deidOutputPath } from '@krypton/deid';

/** The last line `krypton deid` prints. Paths are the operator's own inputs, never output values. */
export interface DeidSummary {
  exported: number;
  quarantined: { file: string; reason: string }[];
  failed: { file: string; error: string }[];
}

/** Every regular file under the inputs (folders walked recursively, in name order). */
export async function* inputFiles(inputs: readonly string[], summary: DeidSummary): AsyncGenerator<string> {
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      summary.failed.push({ file: input, error: `cannot read: ${error.message}` });
      continue;
    }
    if (info.isDirectory()) yield* walk(input);
    else yield input;
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Writes one output under <out>/<pseudonym>/<study>/<series>/<instance>.dcm: names made of
 * pseudonymous values only. Written to a temporary name and renamed, so an interrupted run never
 * leaves a half file under a final name.
 */
export async function writeOutput(out: string, ids: DeidIdentifiers, part10: Buffer): Promise<string> {
  const parts = deidOutputPath(ids);
  const dir = join(out, ...parts.slice(0, -1));
  await mkdir(dir, { recursive: true });
  const path = join(dir, parts[parts.length - 1]);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, part10);
  await rename(tmp, path);
  return path;
}
