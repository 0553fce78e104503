import { Inject, Injectable } from '@nestjs/common';
import { CatalogService, InstanceLocation } from '@krypton/catalog';
import { isValidUid, ParsedPart10, readPart10, readPart10Head, TranscodeError, transcodePart10 } from '@krypton/dicom-codec';

/** What metadata reads of an object first: a CT or MR slice's attributes fit many times over. */
const METADATA_HEAD_BYTES = 64 * 1024;
import { OBJECT_STORE, ObjectStore, TieredObjectStore } from '@krypton/storage';
import { BadParameterError, DicomwebError, ResourceNotFoundError } from './dicomweb-errors';

export interface InstanceScope {
  readonly study: string;
  readonly series?: string;
  readonly instance?: string;
}

/**
 * What WADO-RS reads: catalogue locations and stored files. Nothing is cached between requests, so
 * any api copy answers any request.
 */
@Injectable()
export class DicomwebStoreService {
  constructor(
    private readonly catalog: CatalogService,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  /** Instances of a study, series or single instance, in a stable order; 404 when there are none. */
  async locate(scope: InstanceScope): Promise<InstanceLocation[]> {
    for (const [name, uid] of [
      ['study', scope.study],
      ['series', scope.series],
      ['instance', scope.instance],
    ] as const) {
      if (uid !== undefined && !isValidUid(uid)) throw new BadParameterError(name, `"${uid}" is not a valid DICOM UID`);
    }
    const found = await this.catalog.locate({
      studyUids: [scope.study],
      seriesUids: scope.series ? [scope.series] : undefined,
      sopInstanceUids: scope.instance ? [scope.instance] : undefined,
    });
    if (found.length) return found;
    if (scope.instance) throw new ResourceNotFoundError('instance', scope.instance, `series ${scope.series} of study ${scope.study}`);
    if (scope.series) throw new ResourceNotFoundError('series', scope.series, `study ${scope.study}`);
    throw new ResourceNotFoundError('study', scope.study);
  }

  /** The stored file, parsed whole (dcmjs has no random access; memory is one instance at a time). */
  async read(loc: InstanceLocation): Promise<ParsedPart10> {
    return readPart10(await this.store.get(loc.storageKey));
  }

  /**
   * The attributes of an object for metadata: from its first METADATA_HEAD_BYTES when they reach
   * its pixel data and it ends there (readPart10Head), else from the whole file.
   */
  async attributes(loc: InstanceLocation): Promise<ParsedPart10> {
    if (loc.fileSize > METADATA_HEAD_BYTES) {
      const chunks: Buffer[] = [];
      for await (const chunk of this.store.stream(loc.storageKey, { start: 0, end: METADATA_HEAD_BYTES - 1 })) chunks.push(chunk as Buffer);
      const parsed = readPart10Head(Buffer.concat(chunks), loc.fileSize);
      if (parsed) return parsed;
    }
    return this.read(loc);
  }

  stream(loc: InstanceLocation) {
    return this.store.stream(loc.storageKey);
  }

  /** The whole object (from whichever tier holds it). */
  bytes(loc: InstanceLocation, into?: (size: number) => Buffer): Promise<Buffer> {
    return this.store.get(loc.storageKey, { size: loc.fileSize, into });
  }

  /** Whether the object is on the primary store (its catalogued size is then exact and it can be streamed). */
  async onPrimary(loc: InstanceLocation): Promise<boolean> {
    return this.store instanceof TieredObjectStore ? this.store.primary.exists(loc.storageKey) : true;
  }

  /** The object in another transfer syntax; a codec failure is the server's (500 naming the instance). */
  async transcoded(loc: InstanceLocation, transferSyntaxUid: string): Promise<Buffer> {
    try {
      return await transcodePart10(await this.bytes(loc), loc.transferSyntaxUid, transferSyntaxUid);
    } catch (e) {
      if (e instanceof TranscodeError) throw new DicomwebError(500, `instance ${loc.sopInstanceUid}: ${e.message}`);
      throw e;
    }
  }
}
