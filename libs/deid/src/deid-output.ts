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

/** Writes `content` (bytes, or what a stream yields) to `path` by a temporary name and a rename; a failed write removes its temporary. */
export async function writeByRename(path: string, content: Buffer | NodeJS.ReadableStream): Promise<void> {
  // writeFile takes a stream too (Node ≥ 15.14), and rejects with the stream's error.
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryName(path);
  try {
    await writeFile(tmp, content);
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

/** A de-identified tree as found: its objects (`.dcm`, in path order) and the temporaries interrupted writes left. */
export interface DeidTree {
  readonly files: string[];
  readonly interrupted: string[];
}

/** One walk of the tree (a missing root is an empty tree). */
async function readDeidTree(root: string, into: DeidTree = { files: [], interrupted: [] }): Promise<DeidTree> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return into;
    throw error;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, e.name);
    if (e.isDirectory()) await readDeidTree(path, into);
    else if (e.isFile() && e.name.endsWith('.dcm')) into.files.push(path);
    else if (e.isFile() && TEMPORARY.test(e.name)) into.interrupted.push(path);
  }
  return into;
}

/**
 * Removes, under `root`, the temporaries writers killed mid-write left, and answers the tree: its
 * objects, and the temporaries removed. Only while no writer works on the tree: a live writer's
 * temporary would go too.
 */
export async function removeInterruptedOutputs(root: string): Promise<DeidTree> {
  const tree = await readDeidTree(root);
  await Promise.all(tree.interrupted.map((path) => rm(path, { force: true })));
  return tree;
}
