import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { InstanceRecord, scanPart10, toInstanceRecord } from '@krypton/dicom';
import { instanceKey, OBJECT_STORE, ObjectStore, PutOutcome, StorageFullError } from '@krypton/storage';
import { INDEX_QUEUE, IndexJobData } from '@krypton/queue';
import { DatasetMismatchError, IndexQueueUnavailableError } from './ingest-errors';

export interface IngestInput {
  /** A whole Part 10 object, possibly as several chunks (file meta header first). */
  readonly chunks: readonly Buffer[];
  readonly sourceAe: string | null;
  /** What the DIMSE command (or STOW request) claims; checked against the data set. */
  readonly expectSopClassUid?: string;
  readonly expectSopInstanceUid?: string;
}

export interface IngestResult {
  readonly outcome: PutOutcome;
  readonly record: InstanceRecord;
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
}

/** How long a free-space reading is trusted: statfs per instance would cost more than it tells. */
const FREE_SPACE_TTL_MS = 2000;

/**
 * The one path by which an object enters the hub (C-STORE and STOW-RS alike): validate, store
 * durably, then queue for indexing. The caller answers the sender only after this resolves, so a
 * Success always means the bytes are on disk; indexing can be redone from storage.
 */
@Injectable()
export class IngestService {
  private freeBytesCache: { at: number; value: number } | null = null;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @InjectQueue(INDEX_QUEUE) private readonly indexQueue: Queue<IndexJobData>,
  ) {}

  async ingest(input: IngestInput): Promise<IngestResult> {
    await this.ensureSpace();
    const buf = input.chunks.length === 1 ? input.chunks[0] : Buffer.concat(input.chunks as Buffer[]);
    const scanned = scanPart10(buf);
    const record = toInstanceRecord(scanned.dataset);
    if (input.expectSopInstanceUid && input.expectSopInstanceUid !== record.sopInstanceUid) {
      throw new DatasetMismatchError('SOPInstanceUID', input.expectSopInstanceUid, record.sopInstanceUid);
    }
    if (input.expectSopClassUid && input.expectSopClassUid !== record.sopClassUid) {
      throw new DatasetMismatchError('SOPClassUID', input.expectSopClassUid, record.sopClassUid);
    }
    const storageKey = instanceKey(record.sopInstanceUid);
    const outcome = await this.store.put(storageKey, [buf], { onExisting: this.cfg.dicom.duplicatePolicy });
    const transferSyntaxUid = scanned.transferSyntaxUid;
    const job: IndexJobData = {
      ...record,
      transferSyntaxUid,
      storageKey,
      fileSize: buf.length,
      sourceAe: input.sourceAe,
      replace: outcome === 'replaced',
    };
    try {
      // Duplicates are queued too: re-indexing is idempotent and heals an index that lost a job.
      await this.indexQueue.add('index', job);
    } catch (e) {
      throw new IndexQueueUnavailableError(e);
    }
    return { outcome, record, transferSyntaxUid, storageKey };
  }

  private async ensureSpace(): Promise<void> {
    const now = Date.now();
    if (!this.freeBytesCache || now - this.freeBytesCache.at > FREE_SPACE_TTL_MS) {
      this.freeBytesCache = { at: now, value: await this.store.freeBytes() };
    }
    if (this.freeBytesCache.value < this.cfg.dicom.minFreeSpaceMb * 1048576) {
      throw new StorageFullError(this.freeBytesCache.value);
    }
  }
}
