import { close, closeSync, createReadStream, fstat, fsyncSync, open, openSync, read, writevSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, readFile, rename, unlink, stat, statfs, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetHint, ObjectStore, ObjectWriter, PutOptions, PutOutcome } from './object-store';
import { FsObjectWriter } from './fs-object-writer';
import { ObjectNotFoundError, StorageFullError } from './storage-errors';

const KEY_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

const openFile = promisify(open);
const statFile = promisify(fstat);
const readInto = promisify(read);
const closeFile = promisify(close);

/**
 * A whole file: open, size, one read, close, on the callback API (fs/promises' readFile, through
 * FileHandle and chunked reads, cost about half as much again in CPU per 0.5 MB object). Into a
 * buffer of the caller's when `into` gives one of at least the size (a sender reusing buffers).
 * With `expectedSize` (the catalogue's), the fstat hop is skipped: one byte more is asked for, so
 * a file that grew since (a replaced object) is told from one that did not, and only then is the
 * file asked its size. A short read of a regular file is its end.
 */
export async function readFileWhole(path: string, into?: (size: number) => Buffer, expectedSize?: number): Promise<Buffer> {
  const fd = await openFile(path, 'r');
  try {
    if (expectedSize !== undefined) {
      const buf = into?.(expectedSize + 1) ?? Buffer.allocUnsafe(expectedSize + 1);
      const got = await readAll(fd, buf, expectedSize + 1, true);
      if (got <= expectedSize) return buf.subarray(0, got);
    }
    const { size } = await statFile(fd);
    const buf = into?.(size) ?? Buffer.allocUnsafe(size);
    const got = await readAll(fd, buf, size, false);
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    await closeFile(fd);
  }
}

/** Reads up to `size` bytes from the start of the file; with `shortIsEnd`, a short read ends it. */
async function readAll(fd: number, buf: Buffer, size: number, shortIsEnd: boolean): Promise<number> {
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await readInto(fd, buf, offset, size - offset, offset);
    offset += bytesRead;
    if (bytesRead === 0 || (shortIsEnd && offset < size)) break;
  }
  return offset;
}

/**
 * Local filesystem store. Each object is written with one write of the gathered chunks (per-chunk
 * writes cost more than the disk here) and fsynced, and its directory fsynced, before put resolves.
 * New objects are created exclusively under their key; replacements go through a temporary file
 * and a rename, so a reader never sees half of a replaced object.
 */
export class FsObjectStore implements ObjectStore {
  private readonly root: string;
  private readonly knownDirs = new Set<string>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  path(key: string): string {
    if (!KEY_PATTERN.test(key) || key.split('/').some((p) => p === '..' || p === '.')) {
      throw new Error(`invalid storage key: ${key}`);
    }
    return join(this.root, key);
  }

  /** Streams an object to its file as it arrives (see FsObjectWriter); the key is checked at once. */
  writer(key: string, opts: PutOptions): ObjectWriter {
    return new FsObjectWriter(this.path(key), opts, (dir) => this.ensureDir(dir));
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  async put(key: string, chunks: readonly Buffer[], opts: PutOptions): Promise<PutOutcome> {
    const final = this.path(key);
    const dir = dirname(final);
    await this.ensureDir(dir);
    try {
      if (opts.onExisting === 'keep-first') {
        // Exclusive create under the final name: "keep first" without a check-then-act race, and
        // three fewer file-system operations per object than write-then-link (ingest is bound by them).
        const created = await this.writeFile(final, chunks, 'wx').then(
          () => true,
          (e) => {
            if (e.code === 'EEXIST') return false;
            throw e;
          },
        );
        if (created) {
          await this.syncDir(dir);
          return 'stored';
        }
        const existing = await readFile(final);
        if (!opts.isComplete || opts.isComplete(existing)) return 'duplicate';
        // A crash during an earlier write left a partial object: replace it atomically.
        await this.replace(final, chunks);
        return 'replaced';
      }
      const existed = await stat(final).then(
        () => true,
        () => false,
      );
      await this.replace(final, chunks);
      return existed ? 'replaced' : 'stored';
    } catch (e) {
      if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
        // A partial file under the final name must not be mistaken for a stored object.
        if (opts.onExisting === 'keep-first') await unlink(final).catch(() => undefined);
        throw new StorageFullError(await this.freeBytes().catch(() => 0), e);
      }
      throw e;
    }
  }

  /**
   * Synchronous on purpose: an object's open, write, fsync and close take about 2 ms here, and
   * going through the libuv pool adds a round trip per call that doubled the time per instance.
   * An association waits for this answer anyway; parallel associations scale with processes.
   */
  private async writeFile(path: string, chunks: readonly Buffer[], flags: string): Promise<void> {
    const fd = openSync(path, flags);
    try {
      writevSync(fd, chunks as Buffer[]);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Temporary file, fsync, rename over the key, fsync the directory: readers see old or new, never half. */
  private async replace(final: string, chunks: readonly Buffer[]): Promise<void> {
    const dir = dirname(final);
    const tmp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      await this.writeFile(tmp, chunks, 'wx');
      await rename(tmp, final);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await this.syncDir(dir);
  }

  private async syncDir(dir: string): Promise<void> {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The whole object (readFileWhole: WADO-RS reads every instance of a study this way). */
  async get(key: string, hint?: GetHint): Promise<Buffer> {
    try {
      return await readFileWhole(this.path(key), hint?.into, hint?.size);
    } catch (e) {
      if (e.code === 'ENOENT') throw new ObjectNotFoundError(key);
      throw e;
    }
  }

  stream(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(key), range);
  }

  async localPath(key: string): Promise<string> {
    return this.path(key);
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  async size(key: string): Promise<number> {
    try {
      return (await stat(this.path(key))).size;
    } catch (e) {
      if (e.code === 'ENOENT') throw new ObjectNotFoundError(key);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.path(key)).catch((e) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async freeBytes(): Promise<number> {
    await mkdir(this.root, { recursive: true });
    const s = await statfs(this.root);
    return s.bavail * s.bsize;
  }

  async *keys(): AsyncIterable<string> {
    const walk = async function* (this: FsObjectStore, dir: string): AsyncIterable<string> {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const full = join(dir, e.name);
        // Dot folders are not objects (the ingest journal lives in `.outbox`).
        if (e.isDirectory()) {
          if (!e.name.startsWith('.')) yield* walk.call(this, full);
        } else if (e.isFile() && !e.name.startsWith('.tmp-')) yield relative(this.root, full).split(sep).join('/');
      }
    };
    yield* walk.call(this, this.root);
  }
}
