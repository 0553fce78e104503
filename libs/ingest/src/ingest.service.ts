import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { InstanceRecord, isCompletePart10, scanPart10, toInstanceRecord } from '@krypton/dicom-codec';
import { instanceKey, OBJECT_STORE, ObjectStore, PutOutcome, StorageFullError } from '@krypton/storage';
import { INDEX_QUEUE, IndexItem, IndexJobData } from '@krypton/queue';
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
/** An enqueue that has not answered by then counts as a queue failure (ioredis may wait for ever). */
const ENQUEUE_TIMEOUT_MS = 5000;
const ENQUEUE_RETRY_MS = 1000;
/** Index items wait at most this long, or until this many are gathered, before being queued together. */
const BATCH_LINGER_MS = 20;
const BATCH_MAX = 200;

/**
 * The one path by which an object enters the hub (C-STORE and STOW-RS alike): validate, store
 * durably, then queue for indexing. The caller answers the sender once this resolves, which is as
 * soon as the bytes are on disk: a Success always means the object is safe. The index job is
 * queued right after, without holding the sender (one Redis round trip per instance would cost
 * a fifth of the ingest rate); if queueing fails it is retried here, and new objects are refused
 * (out of resources) until the queue answers again, so an outage cannot silently pile up unindexed
 * objects. The index can always be rebuilt from storage (`krypton reindex`).
 */
@Injectable()
export class IngestService {
  private readonly log = new Logger('Ingest');
  private freeBytesCache: { at: number; value: number } | null = null;
  private queueFailure: Error | null = null;
  private batch: IndexItem[] = [];
  private batchTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @InjectQueue(INDEX_QUEUE) private readonly indexQueue: Queue<IndexJobData>,
  ) {}

  async ingest(input: IngestInput): Promise<IngestResult> {
    if (this.queueFailure) throw new IndexQueueUnavailableError(this.queueFailure);
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
    const outcome = await this.store.put(storageKey, [buf], { onExisting: this.cfg.dicom.duplicatePolicy, isComplete: isCompletePart10 });
    const transferSyntaxUid = scanned.transferSyntaxUid;
    // Duplicates are queued too: re-indexing is idempotent and heals an index that lost a job.
    this.batch.push({ rec: { ...record, transferSyntaxUid, storageKey, fileSize: buf.length, sourceAe: input.sourceAe }, replace: outcome === 'replaced' });
    if (this.batch.length >= BATCH_MAX) this.flushBatch();
    else this.batchTimer ??= setTimeout(() => this.flushBatch(), BATCH_LINGER_MS);
    return { outcome, record, transferSyntaxUid, storageKey };
  }

  private flushBatch(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.enqueue({ items });
  }

  private enqueue(job: IndexJobData): void {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    Promise.race([this.indexQueue.add('index', job), timeout])
      .then(() => {
        if (this.queueFailure) this.log.log('indexing queue reachable again');
        this.queueFailure = null;
      })
      .catch((e) => {
        if (!this.queueFailure) this.log.error(`indexing queue unavailable, refusing new objects until it answers: ${e.message}`);
        this.queueFailure = e;
        setTimeout(() => this.enqueue(job), ENQUEUE_RETRY_MS).unref();
      })
      .finally(() => clearTimeout(timer));
  }

  /** Queues what is gathered (at shutdown). */
  async onModuleDestroy(): Promise<void> {
    this.flushBatch();
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
