import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { InstanceRecord, isCompletePart10, isValidUid, scanPart10, ScanLimits, toInstanceRecord } from '@krypton/dicom-codec';
import { instanceKey, OBJECT_STORE, ObjectStore, openObjectWriter, PutOutcome, StorageFullError } from '@krypton/storage';
import { IngestBacklogStore } from '@krypton/catalog';
import { INDEX_QUEUE, IndexItem, IndexJobData, INGEST_BACKLOG_KEY_PREFIX, untilSuccess } from '@krypton/queue';
import { DatasetMismatchError, IndexBacklogFullError } from './ingest-errors';
import { IndexOutbox } from './index-outbox';
import { ReceivedObject } from './received-object';

export interface IngestInput {
  /** A whole Part 10 object, possibly as several chunks (file meta header first). */
  readonly chunks: readonly Buffer[];
  readonly sourceAe: string | null;
  /** What the DIMSE command (or STOW request) claims; checked against the data set. */
  readonly expectSopClassUid?: string;
  readonly expectSopInstanceUid?: string;
  /**
   * Called with the catalogue record once the object is read, before it is stored; throwing
   * refuses the object. The caller's own checks (STOW-RS: the study of the request path) on the
   * same single read, instead of reading the object a second time.
   */
  readonly check?: (record: InstanceRecord, transferSyntaxUid: string) => void | Promise<void>;
}

/** An object to receive piece by piece (a C-STORE data set): see IngestService.receive. */
export interface ReceiveInput {
  /** The File Meta Information written before the data set (the DIMSE layer builds it). */
  readonly meta: Buffer;
  readonly sourceAe: string | null;
  /** From the C-STORE command; the data set must carry the same. */
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** The presentation context's. */
  readonly transferSyntaxUid: string;
  /** Stops and restarts reading the sender while the disk catches up. */
  readonly flow?: { pause(): void; resume(): void };
  /** As IngestInput.check: on the record, before the object is made durable; throwing refuses it (its file is removed). */
  readonly check?: IngestInput['check'];
}

/** An object being received: its data set bytes in order, then end() (or abort() if the sender goes). */
export interface ObjectReception {
  write(chunk: Buffer): void;
  end(): Promise<IngestResult>;
  abort(): void;
}

export interface IngestResult {
  readonly outcome: PutOutcome;
  readonly record: InstanceRecord;
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
}

/** How long a free-space reading is trusted: statfs per instance would cost more than it tells. */
const FREE_SPACE_TTL_MS = 2000;
/** An enqueue that has not answered by then counts as failed (ioredis may wait for ever). */
const ENQUEUE_TIMEOUT_MS = 5000;
/** Index items wait at most this long, or until this many are gathered, before being queued together. */
const BATCH_LINGER_MS = 20;
const BATCH_MAX = 200;
/** Each process publishes its index backlog in Redis this often (read by /health and /metrics). */
const BACKLOG_REPORT_MS = 2000;

/**
 * The one path by which an object enters the hub (C-STORE and STOW-RS alike): validate, store
 * durably, journal its index item (IndexOutbox), then queue it for indexing. The caller answers
 * the sender once this resolves: a Success always means the object is safe and will be indexed.
 * The index job is queued right after, without holding the sender (one Redis round trip per
 * instance would cost a fifth of the ingest rate); whatever happens to that job, the journal
 * hands the object to the indexer again until the catalogue holds it.
 */
@Injectable()
export class IngestService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('Ingest');
  private freeBytesCache: { at: number; value: number } | null = null;
  private batch: IndexItem[] = [];
  private batchTimer?: NodeJS.Timeout;
  private readonly outbox: IndexOutbox;
  private reportTimer?: NodeJS.Timeout;
  private enqueueFailing = false;
  private readonly scanLimits: ScanLimits;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @InjectQueue(INDEX_QUEUE) private readonly indexQueue: Queue<IndexJobData>,
    backlogStore: IngestBacklogStore,
  ) {
    this.scanLimits = { maxInflatedBytes: cfg.dicom.maxInflatedMb * 1048576, maxSequenceDepth: cfg.dicom.maxSequenceDepth };
    this.outbox = new IndexOutbox({
      dir: cfg.ingest.outboxDir ?? join(cfg.storage.root, '.outbox'),
      enqueue: (items, jobId) => this.enqueue({ items }, jobId),
      indexed: (items) => backlogStore.indexed(items),
      redriveAfterMs: cfg.ingest.redriveAfterSeconds * 1000,
      log: this.log,
    });
  }

  onModuleInit(): void {
    this.outbox.start();
    this.reportTimer = setInterval(() => void this.reportBacklog(), BACKLOG_REPORT_MS);
    this.reportTimer.unref();
  }

  /** Stored objects of this process not yet in the catalogue. */
  backlog(): number {
    return this.outbox.backlog();
  }

  async ingest(input: IngestInput): Promise<IngestResult> {
    await this.admit();
    const buf = input.chunks.length === 1 ? input.chunks[0] : Buffer.concat(input.chunks as Buffer[]);
    const scanned = scanPart10(buf, this.scanLimits);
    const record = toInstanceRecord(scanned.dataset);
    if (input.expectSopInstanceUid && input.expectSopInstanceUid !== record.sopInstanceUid) {
      throw new DatasetMismatchError('SOPInstanceUID', input.expectSopInstanceUid, record.sopInstanceUid);
    }
    if (input.expectSopClassUid && input.expectSopClassUid !== record.sopClassUid) {
      throw new DatasetMismatchError('SOPClassUID', input.expectSopClassUid, record.sopClassUid);
    }
    await input.check?.(record, scanned.transferSyntaxUid);
    const outcome = await this.store.put(instanceKey(record.sopInstanceUid), [buf], this.putOptions());
    return this.handOff(record, scanned.transferSyntaxUid, buf.length, input.sourceAe, outcome);
  }

  /**
   * Receives an object as its data set arrives (C-STORE), to its file and through the streaming
   * scanner, instead of gathering it in memory (ReceivedObject). Its key comes from the command's
   * SOP Instance UID; a command whose UID cannot name a file is gathered and read whole as before,
   * which refuses it the usual way.
   */
  receive(input: ReceiveInput): ObjectReception {
    if (!isValidUid(input.sopInstanceUid)) {
      const chunks: Buffer[] = [input.meta];
      return {
        write: (chunk) => void chunks.push(chunk),
        end: () => this.ingest({ chunks, sourceAe: input.sourceAe, expectSopClassUid: input.sopClassUid, expectSopInstanceUid: input.sopInstanceUid, check: input.check }),
        abort: () => void chunks.splice(0),
      };
    }
    const storageKey = instanceKey(input.sopInstanceUid);
    return new ReceivedObject(
      {
        admit: () => this.admit(),
        handOff: (record, transferSyntaxUid, datasetBytes, outcome) => this.handOff(record, transferSyntaxUid, input.meta.length + datasetBytes, input.sourceAe, outcome),
        scanLimits: this.scanLimits,
      },
      openObjectWriter(this.store, storageKey, this.putOptions()),
      input.meta,
      input,
      input.flow,
      input.check,
    );
  }

  private putOptions() {
    return { onExisting: this.cfg.dicom.duplicatePolicy, isComplete: isCompletePart10 };
  }

  /** Refuses a new object while the index backlog is full or the disk nearly so. */
  private async admit(): Promise<void> {
    const backlog = this.outbox.backlog();
    if (backlog >= this.cfg.ingest.maxBacklog) throw new IndexBacklogFullError(backlog, this.cfg.ingest.maxBacklog);
    await this.ensureSpace();
  }

  /**
   * The object is stored durably: its index item is journalled (before the caller answers the
   * sender) and gathered for the indexer. Duplicates are journalled too: indexing a known
   * instance changes nothing, and it heals an index that lost the first copy's row.
   */
  private handOff(record: InstanceRecord, transferSyntaxUid: string, fileSize: number, sourceAe: string | null, outcome: PutOutcome): IngestResult {
    const storageKey = instanceKey(record.sopInstanceUid);
    const item: IndexItem = { rec: { ...record, transferSyntaxUid, storageKey, fileSize, sourceAe }, replace: outcome === 'replaced' };
    this.outbox.append(item);
    this.batch.push(item);
    if (this.batch.length >= BATCH_MAX) this.flushBatch();
    else this.batchTimer ??= setTimeout(() => this.flushBatch(), BATCH_LINGER_MS);
    return { outcome, record, transferSyntaxUid, storageKey };
  }

  /**
   * A sender has finished (its association released): what it sent is queued for indexing now
   * rather than after the batch's linger, so that its last instances are listed without delay.
   */
  senderDone(): void {
    if (this.batch.length) this.flushBatch();
  }

  private flushBatch(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    // A failure is only logged: the journal re-drives these items once Redis answers again.
    this.enqueue({ items }).catch(() => undefined);
  }

  private async enqueue(job: IndexJobData, jobId?: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.indexQueue.add('index', job, { ...untilSuccess(this.cfg.ingest.retryMaxSeconds * 1000), ...(jobId ? { jobId } : {}) }), timeout]);
      if (this.enqueueFailing) this.log.log('indexing queue reachable again');
      this.enqueueFailing = false;
    } catch (e) {
      if (!this.enqueueFailing) this.log.error(`indexing queue unavailable (objects are journalled and will be queued again): ${e.message}`);
      this.enqueueFailing = true;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private async reportBacklog(): Promise<void> {
    try {
      const redis = (await this.indexQueue.client) as unknown as Redis;
      await redis.setex(`${INGEST_BACKLOG_KEY_PREFIX}${hostname()}:${process.pid}`, 15, String(this.outbox.backlog()));
    } catch {
      // Redis away: /health says so itself.
    }
  }

  /** Queues what is gathered and closes the journal segment (at shutdown). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.reportTimer);
    this.flushBatch();
    await this.outbox.stop();
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
