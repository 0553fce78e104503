import { FileHandle, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { ObjectWriter, PutOptions, PutOutcome } from './object-store';
import { StorageFullError } from './storage-errors';

/** fsync of a directory: its entries (a new or renamed object) survive a machine crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes all of the buffers (a short writev is continued, as a full disk makes it). */
async function writeAll(fh: FileHandle, bufs: Buffer[], bytes: number): Promise<void> {
  let left = bytes;
  while (left > 0) {
    const { bytesWritten } = await fh.writev(bufs);
    left -= bytesWritten;
    if (left === 0) return;
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    let skip = bytesWritten;
    while (skip >= bufs[0].length) skip -= bufs.shift()!.length;
    bufs[0] = bufs[0].subarray(skip);
  }
}

/**
 * A filesystem object received piece by piece (FsObjectStore.writer). Under keep-first the
 * object is created exclusively under its final key as soon as the writer exists, and the
 * directory's fsync starts at once, in parallel with the data (the key is known from the
 * C-STORE command before the data set arrives); the bytes are written in the background by one
 * writev at a time of everything queued meanwhile (a write per PDV cost more than the disk), and
 * commit waits for the last write, fsyncs the file and the directory. Nothing blocks the event
 * loop, so the parallel associations of one process write and fsync at the same time.
 * A key that exists already (a duplicate, or a partial object left by a crash), and every object
 * under the "replace" policy, go to a temporary file renamed over the key at commit, as put does.
 * discard (a refused or aborted object) removes whatever was created.
 */
export class FsObjectWriter implements ObjectWriter {
  private fh: FileHandle | null = null;
  /** The file being written: the final path, or a temporary one beside it. */
  private path: string | null = null;
  private temporary = false;
  private readonly opened: Promise<void>;
  private dirSynced: Promise<void> | null = null;
  private queue: Buffer[] = [];
  private queued = 0;
  private writing: Promise<void> | null = null;
  private failure: Error | null = null;
  private done = false;

  constructor(
    private readonly final: string,
    private readonly opts: PutOptions,
    ensureDir: (dir: string) => Promise<void>,
  ) {
    this.opened = this.open(ensureDir).catch((e) => {
      this.failure = e;
    });
  }

  get queuedBytes(): number {
    return this.queued;
  }

  write(chunk: Buffer): void {
    if (this.failure || this.done || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.writing ??= this.pump();
  }

  async drained(): Promise<void> {
    await this.opened;
    while (this.writing) await this.writing;
  }

  async commit(): Promise<PutOutcome> {
    try {
      await this.drained();
      if (this.failure) throw this.failure;
      const fh = this.fh!;
      await fh.sync();
      this.fh = null;
      this.done = true;
      if (!this.temporary) {
        // Durable once fsynced: the close need not hold the sender's answer.
        void fh.close().catch(() => undefined);
        await this.dirSynced;
        return 'stored';
      }
      await fh.close();
      return await this.settleTemporary();
    } catch (e) {
      await this.discard();
      if (e.code === 'ENOSPC' || e.code === 'EDQUOT') throw new StorageFullError(0, e);
      throw e;
    }
  }

  async discard(): Promise<void> {
    this.done = true;
    this.queue = [];
    this.queued = 0;
    await this.drained().catch(() => undefined);
    await this.dirSynced?.catch(() => undefined);
    const fh = this.fh;
    this.fh = null;
    const ours = fh ? await fh.stat().catch(() => null) : null;
    await fh?.close().catch(() => undefined);
    const path = this.path;
    this.path = null;
    if (!path) return;
    // The key may hold another object by now: a copy of the same instance received at the same
    // time over another association found ours incomplete and was renamed over it. That one is
    // acknowledged; only our own file is removed.
    if (ours && !this.temporary) {
      const current = await stat(path).catch(() => null);
      if (!current || current.ino !== ours.ino || current.dev !== ours.dev) return;
    }
    await unlink(path).catch(() => undefined);
  }

  private async open(ensureDir: (dir: string) => Promise<void>): Promise<void> {
    const dir = dirname(this.final);
    await ensureDir(dir);
    if (this.opts.onExisting === 'keep-first') {
      try {
        this.fh = await open(this.final, 'wx');
        this.path = this.final;
        this.dirSynced = syncDirectory(dir);
        // Awaited by commit; a failure there fails the commit, not the process.
        this.dirSynced.catch(() => undefined);
        return;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
      }
    }
    const tmp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
    this.fh = await open(tmp, 'wx');
    this.path = tmp;
    this.temporary = true;
  }

  private async pump(): Promise<void> {
    try {
      await this.opened;
      while (this.queue.length && !this.failure && this.fh) {
        const bufs = this.queue;
        const bytes = this.queued;
        this.queue = [];
        await writeAll(this.fh, bufs, bytes);
        this.queued -= bytes;
      }
    } catch (e) {
      this.failure = e;
    } finally {
      this.queue = [];
      if (this.failure) this.queued = 0;
      this.writing = null;
    }
  }

  /** The temporary file written and fsynced: kept as a duplicate (deleted), or renamed over the key. */
  private async settleTemporary(): Promise<PutOutcome> {
    const tmp = this.path!;
    const dir = dirname(this.final);
    if (this.opts.onExisting === 'keep-first') {
      const existing = await readFile(this.final).catch((e) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
      if (existing && (!this.opts.isComplete || this.opts.isComplete(existing))) {
        this.path = null;
        await unlink(tmp).catch(() => undefined);
        return 'duplicate';
      }
      // A crash during an earlier write left a partial object (or it went meanwhile): replaced atomically.
      await rename(tmp, this.final);
      this.path = null;
      await syncDirectory(dir);
      return existing ? 'replaced' : 'stored';
    }
    const existed = await stat(this.final).then(
      () => true,
      () => false,
    );
    await rename(tmp, this.final);
    this.path = null;
    await syncDirectory(dir);
    return existed ? 'replaced' : 'stored';
  }
}
