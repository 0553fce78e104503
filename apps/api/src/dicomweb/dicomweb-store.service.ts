import { Inject, Injectable } from '@nestjs/common';
import { CatalogService, InstanceLocation } from '@krypton/catalog';
import { isValidUid, ParsedPart10, readPart10, TranscodeError, transcodePart10 } from '@krypton/dicom-codec';
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

  stream(loc: InstanceLocation) {
    return this.store.stream(loc.storageKey);
  }

  /** The whole object (from whichever tier holds it). */
  bytes(loc: InstanceLocation): Promise<Buffer> {
    return this.store.get(loc.storageKey);
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
