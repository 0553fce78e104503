import { InstanceRecord, Part10StreamScanner, ScanLimits, toInstanceRecord } from '@krypton/dicom-codec';
import type { ObjectWriter, PutOutcome } from '@krypton/storage';
import { DatasetMismatchError } from './ingest-errors';

/** What a streamed object needs of IngestService. */
export interface ReceivedObjectDeps {
  /** Refuses a new object when the index backlog or the free space says so. */
  admit(): Promise<void>;
  /** Journals and queues the stored object for indexing (IngestService's hand-off). */
  handOff(record: InstanceRecord, transferSyntaxUid: string, fileSize: number, outcome: PutOutcome): StreamedIngestResult;
  readonly scanLimits: ScanLimits;
}

export interface StreamedIngestResult {
  readonly outcome: PutOutcome;
  readonly record: InstanceRecord;
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
}

/** Slowing the sender down: above this many bytes queued for the disk the socket stops being read. */
const HIGH_WATER_BYTES = 8 * 1048576;

/**
 * One object received piece by piece (a C-STORE data set, PDV by PDV): each piece goes to the
 * object's file (ObjectWriter, written in the background) and to the streaming scanner, which
 * keeps the header only. At the end the catalogue record is checked against the command, and
 * only then is the file fsynced and handed off: Success still means stored durably and
 * journalled for indexing. Anything refused or cut off leaves no file behind (discard).
 */
export class ReceivedObject {
  private readonly scanner: Part10StreamScanner;
  private readonly admitted: Promise<unknown>;
  private paused = false;
  private finished = false;

  constructor(
    private readonly deps: ReceivedObjectDeps,
    private readonly writer: ObjectWriter,
    meta: Buffer,
    private readonly expect: { readonly sopClassUid: string; readonly sopInstanceUid: string; readonly transferSyntaxUid: string },
    private readonly flow?: { pause(): void; resume(): void },
    private readonly check?: (record: InstanceRecord, transferSyntaxUid: string) => void | Promise<void>,
  ) {
    this.scanner = new Part10StreamScanner(meta, expect.transferSyntaxUid, deps.scanLimits);
    writer.write(meta);
    // Settled here so that a refusal is not an unhandled rejection before end() reads it.
    this.admitted = deps.admit().then(
      () => null,
      (e: Error) => e,
    );
  }

  /** The next bytes of the data set, in order. */
  write(chunk: Buffer): void {
    if (this.finished) return;
    this.scanner.push(chunk);
    this.writer.write(chunk);
    if (this.flow && !this.paused && this.writer.queuedBytes > HIGH_WATER_BYTES) {
      this.paused = true;
      this.flow.pause();
      void this.writer.drained().then(() => {
        this.paused = false;
        this.flow?.resume();
      });
    }
  }

  /** The data set is complete: stored, fsynced and journalled, or refused with nothing left behind. */
  async end(): Promise<StreamedIngestResult> {
    this.finished = true;
    try {
      const refused = await this.admitted;
      if (refused) throw refused;
      const scanned = this.scanner.end();
      const record = toInstanceRecord(scanned.dataset);
      if (record.sopInstanceUid !== this.expect.sopInstanceUid) throw new DatasetMismatchError('SOPInstanceUID', this.expect.sopInstanceUid, record.sopInstanceUid);
      if (record.sopClassUid !== this.expect.sopClassUid) throw new DatasetMismatchError('SOPClassUID', this.expect.sopClassUid, record.sopClassUid);
      await this.check?.(record, scanned.transferSyntaxUid);
      const outcome = await this.writer.commit();
      return this.deps.handOff(record, scanned.transferSyntaxUid, this.scanner.bytes, outcome);
    } catch (e) {
      await this.writer.discard();
      throw e;
    }
  }

  /** The sender went away (A-ABORT, closed connection): nothing of the object remains. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    void this.writer.discard();
  }
}
