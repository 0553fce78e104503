import { Readable } from 'node:stream';
import { GetHint, ObjectStore, ObjectWriter, openObjectWriter, PutOptions, PutOutcome } from './object-store';
import { ObjectNotFoundError } from './storage-errors';

/**
 * Suffix of an object the archive tier holds compressed (JPEG-LS lossless from Explicit VR Little
 * Endian); without it the archive copy holds the original bytes.
 */
export const ARCHIVE_COMPRESSED_SUFFIX = '.jls';

/** Turns an archive copy stored with ARCHIVE_COMPRESSED_SUFFIX back into the object as the catalogue knows it. */
export type ArchiveRestore = (compressed: Buffer) => Promise<Buffer>;

/**
 * Reads and writes the primary store; a read of a key the primary no longer holds is answered from
 * the archive tier (decompressed when the archive compressed it). This is what makes recall
 * transparent for every reader at once — WADO-RS, C-MOVE, C-GET, forwarding, dose extraction —
 * while the study's archive workflow moves the whole study back. Writes (ingest) go to the
 * primary only.
 */
export class TieredObjectStore implements ObjectStore {
  constructor(
    readonly primary: ObjectStore,
    readonly archive: ObjectStore,
    private readonly restore: ArchiveRestore,
  ) {}

  put(key: string, chunks: readonly Buffer[], opts: PutOptions): Promise<PutOutcome> {
    return this.primary.put(key, chunks, opts);
  }

  writer(key: string, opts: PutOptions): ObjectWriter {
    return openObjectWriter(this.primary, key, opts);
  }

  /** The object from the archive tier, as the catalogue knows it; ObjectNotFoundError when neither tier has it. */
  async fromArchive(key: string): Promise<Buffer> {
    const compressed = `${key}${ARCHIVE_COMPRESSED_SUFFIX}`;
    if (await this.archive.exists(compressed)) return this.restore(await this.archive.get(compressed));
    return this.archive.get(key);
  }

  async get(key: string, hint?: GetHint): Promise<Buffer> {
    try {
      // The hint is the primary copy's; the archive tier may hold the object compressed.
      return await this.primary.get(key, hint);
    } catch (e) {
      if (!(e instanceof ObjectNotFoundError)) throw e;
      return this.fromArchiveOrRecalled(key);
    }
  }

  /**
   * The archive copy of an object the primary did not hold a moment ago. A recall between the two
   * reads puts the object back in the primary store before it deletes the archive copy, so a copy
   * gone from the archive is read from the primary again rather than reported missing.
   */
  private async fromArchiveOrRecalled(key: string): Promise<Buffer> {
    try {
      return await this.fromArchive(key);
    } catch (e) {
      if (!(e instanceof ObjectNotFoundError)) throw e;
      return this.primary.get(key);
    }
  }

  stream(key: string, range?: { start: number; end: number }): Readable {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the generator below reads the store's tiers
    const self = this;
    return Readable.from(
      (async function* () {
        if (await self.primary.exists(key)) {
          yield* self.primary.stream(key, range);
          return;
        }
        const bytes = await self.fromArchiveOrRecalled(key);
        yield range ? bytes.subarray(range.start, range.end + 1) : bytes;
      })(),
      { objectMode: false },
    );
  }

  async exists(key: string): Promise<boolean> {
    return (await this.primary.exists(key)) || (await this.archive.exists(`${key}${ARCHIVE_COMPRESSED_SUFFIX}`)) || this.archive.exists(key);
  }

  /**
   * DIMSE senders read files: an archived object is written back to the primary (keep-first, so
   * the recall activity later finds it there) and that file is returned.
   */
  async localPath(key: string): Promise<string> {
    if (!(await this.primary.exists(key))) await this.primary.put(key, [await this.fromArchiveOrRecalled(key)], { onExisting: 'keep-first' });
    return this.primary.localPath(key);
  }

  async size(key: string): Promise<number> {
    if (await this.primary.exists(key)) return this.primary.size(key);
    return (await this.fromArchiveOrRecalled(key)).length;
  }

  delete(key: string): Promise<void> {
    return this.primary.delete(key);
  }

  freeBytes(): Promise<number> {
    return this.primary.freeBytes();
  }

  keys(): AsyncIterable<string> {
    return this.primary.keys();
  }
}
