import { Readable } from 'node:stream';

/** Where a write landed: the first copy kept, or the stored object replaced. */
export type PutOutcome = 'stored' | 'replaced' | 'duplicate';

export interface PutOptions {
  /** keep-first: an existing object under the key is left alone (outcome 'duplicate'). */
  readonly onExisting: 'keep-first' | 'replace';
  /**
   * Under keep-first, tells whether the object already stored is whole. One that is not (left by
   * a crash in the middle of a write) is replaced instead of kept.
   */
  readonly isComplete?: (existing: Buffer) => boolean;
}

/**
 * An object written as its bytes arrive (C-STORE: PDV by PDV), so that neither the whole object
 * nor its write waits in memory: bytes are written in order in the background, and only commit
 * makes the object durable and visible under its key.
 */
export interface ObjectWriter {
  /** Queues bytes after those already given. */
  write(chunk: Buffer): void;
  /** Bytes given and not yet written (the receiver slows its sender down above a mark). */
  readonly queuedBytes: number;
  /** Resolves once every byte given so far is written (or the writer failed: commit says how). */
  drained(): Promise<void>;
  /** Every byte written and fsynced, the directory entry durable: where the object landed. */
  commit(): Promise<PutOutcome>;
  /** Leaves nothing behind (an object refused or cut off by its sender); never throws. */
  discard(): Promise<void>;
}

/** What the caller already knows of an object (the catalogue's size), which a store may use to read it with fewer calls. */
export interface GetHint {
  readonly size?: number;
  /** A buffer of the caller's (at least `size` bytes) to read the object into, where the store reads into buffers (the filesystem); the answer is then a view of it. */
  readonly into?: (size: number) => Buffer;
}

/**
 * Storage for DICOM Part 10 files. The filesystem implementation is the default; an S3-compatible
 * store implements the same interface (put is atomic there by nature).
 */
export interface ObjectStore {
  /** Durably stores the chunks as one object; resolves only once the bytes are safe. */
  put(key: string, chunks: readonly Buffer[], opts: PutOptions): Promise<PutOutcome>;
  /** A writer for an object received piece by piece; a store without one gathers the pieces for put (openObjectWriter). */
  writer?(key: string, opts: PutOptions): ObjectWriter;
  get(key: string, hint?: GetHint): Promise<Buffer>;
  stream(key: string, range?: { start: number; end: number }): Readable;
  exists(key: string): Promise<boolean>;
  /** A local file holding the object, for tools that read files (DIMSE senders); a remote store caches it. */
  localPath(key: string): Promise<string>;
  size(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Free bytes on the volume, for refusing new objects before the disk is full. */
  freeBytes(): Promise<number>;
  /** Every key, for rebuilding the index from storage. */
  keys(): AsyncIterable<string>;
}

export const OBJECT_STORE = Symbol('OBJECT_STORE');

/** The store's own writer, or one that gathers the pieces in memory and puts them at commit. */
export function openObjectWriter(store: ObjectStore, key: string, opts: PutOptions): ObjectWriter {
  if (store.writer) return store.writer(key, opts);
  const chunks: Buffer[] = [];
  return {
    write: (chunk) => void chunks.push(chunk),
    queuedBytes: 0,
    drained: async () => undefined,
    commit: () => store.put(key, chunks, opts),
    discard: async () => void chunks.splice(0),
  };
}
