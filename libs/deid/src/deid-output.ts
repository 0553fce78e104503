import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DeidIdentifiers, deidOutputPath } from './part10-deidentifier';

/**
 * De-identified output on disk, written the same way by `krypton deid` and by research
 * extraction: each file goes to a temporary name beside its final one and is renamed, so whoever
 * reads the tree (a researcher, the delivery zip, a research PACS) never finds half a file under a
 * final name. A writer killed between the two steps leaves its temporary behind;
 * `removeInterruptedOutputs` clears those before the tree is read or written again.
 */

/** `<final>.<8 hex>.tmp`: what `temporaryName` makes, and nothing a de-identified tree holds otherwise. */
const TEMPORARY = /\.[0-9a-f]{8}\.tmp$/;

/** A temporary name beside `path`, unique to this write (a retried write does not reuse one). */
export function temporaryName(path: string): string {
  return `${path}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes `bytes` to `path` by a temporary name and a rename; a failed write removes its temporary. */
export async function writeByRename(path: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryName(path);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes one de-identified object under `root` (`deidOutputPath`: pseudonymous names only); answers its path. */
export async function writeDeidOutput(root: string, ids: DeidIdentifiers, part10: Buffer): Promise<string> {
  const path = join(root, ...deidOutputPath(ids));
  await writeByRename(path, part10);
  return path;
}

/**
 * Removes, under `root`, the temporaries writers killed mid-write left (answers how many). Only
 * while no writer works on the tree: a live writer's temporary would go too.
 */
export async function removeInterruptedOutputs(root: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const e of entries) {
    const path = join(root, e.name);
    if (e.isDirectory()) removed += await removeInterruptedOutputs(path);
    else if (e.isFile() && TEMPORARY.test(e.name)) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
