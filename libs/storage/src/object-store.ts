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
 * Storage for DICOM Part 10 files. The filesystem implementation is the default; an S3-compatible
 * store implements the same interface (put is atomic there by nature).
 */
export interface ObjectStore {
  /** Durably stores the chunks as one object; resolves only once the bytes are safe. */
  put(key: string, chunks: readonly Buffer[], opts: PutOptions): Promise<PutOutcome>;
  get(key: string): Promise<Buffer>;
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
