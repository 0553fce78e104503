import { ARCHIVE_COMPRESSED_SUFFIX, TieredObjectStore } from '@krypton/storage';

/** An object that only the archive tier holds: the key the catalogue files it under, and its copy there. */
export interface ArchivedObject {
  readonly storageKey: string;
  readonly archiveKey: string;
  readonly compressed: boolean;
}

/** What `krypton reindex` files back into the archive's own table for an object found on the archive tier. */
export interface ArchivedInstance {
  readonly sopInstanceUid: string;
  readonly studyUid: string;
  readonly archiveKey: string;
  readonly originalSize: number;
  readonly archivedSize: number;
  readonly compressed: boolean;
}

/**
 * Every object on the archive tier that the primary store does not hold. An object in both is in
 * the middle of a move or a recall: the walk of the primary store files it, and the study's
 * workflow finishes the step it was taking.
 */
export async function* archivedObjects(tiers: TieredObjectStore): AsyncIterable<ArchivedObject> {
  for await (const archiveKey of tiers.archive.keys()) {
    const compressed = archiveKey.endsWith(ARCHIVE_COMPRESSED_SUFFIX);
    const storageKey = compressed ? archiveKey.slice(0, -ARCHIVE_COMPRESSED_SUFFIX.length) : archiveKey;
    if (await tiers.primary.exists(storageKey)) continue;
    yield { storageKey, archiveKey, compressed };
  }
}
