import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
