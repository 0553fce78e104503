import { readFile, readFileSync } from 'node:fs';
import * as dimse from 'dcmjs-dimse';
import { splitPart10, TS } from '@krypton/dicom-codec';

/** How many files are read ahead of the one on the wire, and the largest one read ahead. */
const READ_AHEAD = 2;
const READ_AHEAD_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A stored Part 10 file as dcmjs-dimse's Dataset, sent **as stored**: when the association
 * accepted the file's own transfer syntax, the data set bytes go on the wire unchanged, read only
 * at the moment they are sent. dcmjs-dimse would otherwise parse the whole file with dcmjs and
 * write it back (about 4 ms of CPU for a 0.5 MB CT slice, and the reason forwarding ran at a fifth
 * of storescu's speed). When the destination accepted another syntax, dcmjs-dimse transcodes
 * (getElements is then the full parse it needs; compressed syntaxes through dcmjs-codecs).
 */
export class StoredDataset extends (dimse.Dataset as unknown as new (
  elements?: Record<string, unknown>,
  ts?: string,
) => {
  getTransferSyntaxUid(): string;
  getElements(): Record<string, unknown>;
  getDenaturalizedDataset(writeOptions?: unknown, nameMap?: unknown): Buffer;
}) {
  private readonly storedSyntax: string;
  private full?: Record<string, unknown>;
  /** idle → reading (readAhead) → read (the bytes in `ahead`) → taken (sent; a late read is dropped). */
  private state: 'idle' | 'reading' | 'read' | 'taken' = 'idle';
  private ahead: Buffer | null = null;
  /** The object sent after this one over the same association (storeFiles links them). */
  next: StoredDataset | null = null;

  constructor(
    private readonly path: string,
    sopClassUid: string,
    sopInstanceUid: string,
    transferSyntaxUid: string,
    /** The file's size when the catalogue knows it: a large object is not read ahead. */
    private readonly size?: number,
  ) {
    // A deflated file is kept deflated on disk; its inflated data set is explicit VR little endian.
    const syntax = transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian ? TS.ExplicitVRLittleEndian : transferSyntaxUid;
    super({ SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid }, syntax);
    this.storedSyntax = syntax;
  }

  override getElements(): Record<string, unknown> {
    this.full ??= (dimse.Dataset as any).fromFile(this.path).getElements();
    return this.full as Record<string, unknown>;
  }

  /** True while no transcoding is asked: the bytes on disk are what goes on the wire. */
  sendsAsStored(): boolean {
    return this.getTransferSyntaxUid() === this.storedSyntax;
  }

  storedBytes(): Buffer {
    const file = this.ahead ?? readFileSync(this.path);
    this.ahead = null;
    this.state = 'taken';
    return splitPart10(file).body;
  }

  /**
   * Starts reading the file in the background while earlier objects are on the wire and the
   * destination answers them, so the disk read is off the association's critical path (the peer
   * gets the next request as soon as it answered). A read not finished when the turn comes, or
   * failed, is done again synchronously.
   */
  readAhead(): void {
    if (this.state !== 'idle' || !this.sendsAsStored() || (this.size ?? 0) > READ_AHEAD_MAX_BYTES) return;
    this.state = 'reading';
    readFile(this.path, (err, data) => {
      if (err || this.state !== 'reading') return;
      this.ahead = data;
      this.state = 'read';
    });
  }

  /**
   * Reads ahead the next READ_AHEAD objects: one was often not enough, the destination answering
   * a 0.5 MB instance sooner than the thread pool read the next file (then read again, in line).
   */
  readAheadNext(): void {
    let d = this.next;
    for (let i = 0; i < READ_AHEAD && d; i++, d = d.next) d.readAhead();
  }

  override getDenaturalizedDataset(writeOptions?: unknown, nameMap?: unknown): Buffer {
    if (this.sendsAsStored()) return this.storedBytes();
    return super.getDenaturalizedDataset(writeOptions, nameMap);
  }
}
