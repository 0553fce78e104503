import { InvalidDicomError, TruncatedDataSetError } from './dicom-errors';
import { Cursor, DEFAULT_SCAN_LIMITS, isSequence, isUnSequence, readHeader, ScanLimits, ScannedPart10, scanPart10, walkElement, withLimits } from './dataset-scanner';
import { TS } from './uids';

const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const SEQ_END = 0xfffee0dd;
/** The longest element header (explicit VR, 4-byte length) and an item header. */
const MAX_HEADER = 12;
const ITEM_HEADER = 8;

/** Top-level values longer than this are checked for length and not kept: no catalogue attribute is that long. */
export const ELIDE_VALUES_ABOVE = 64 * 1024;

type State =
  /** Reading the next top-level element header. */
  | { kind: 'header' }
  /** A value not kept (or a fragment of pixel data): this many bytes still to pass, then `then`. */
  | { kind: 'skip'; left: number; then: 'header' | 'fragments' }
  /** A kept element of known length: this many bytes still to keep. */
  | { kind: 'keep'; left: number }
  /** A sequence of undefined length, kept until walkElement finds its end. */
  | { kind: 'sequence'; tried: number }
  /** Encapsulated pixel data: item headers checked, fragments passed. */
  | { kind: 'fragments' }
  /** Deflated: nothing can be read before the end. */
  | { kind: 'whole' };

/**
 * Reads a data set as it arrives over the network, in any cut, keeping in memory only what the
 * catalogue scan needs: every top-level element but long values (pixel data, frames, documents:
 * their lengths are checked and their bytes passed) and encapsulated pixel data (its fragment
 * items checked and passed). `end()` then runs the codec's catalogue scan (`scanPart10`) over
 * the File Meta Information and the kept elements, so the attributes, the element rules and the
 * errors are the whole-object reader's, and an object cut short is refused as before; memory is
 * bounded by the header, not by the object (a 2 GB multi-frame object keeps a few kilobytes).
 *
 * The top-level boundaries are found with the element loop's own pieces (`readHeader`,
 * `isSequence`, `walkElement` for a sequence of undefined length); only the fragment items of
 * encapsulated pixel data are framed here (PS3.5 A.4), because they pass without being kept.
 * A deflated data set cannot be cut before it is inflated: it is kept whole, as before.
 */
export class Part10StreamScanner {
  private state: State;
  /** Bytes received but not yet consumed by the state (a partial header, a sequence being kept). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly kept: Buffer[];
  private keptBytes: number;
  private received = 0;
  private failure: InvalidDicomError | null = null;
  private readonly explicit: boolean;
  private readonly little: boolean;

  constructor(
    private readonly meta: Buffer,
    private readonly transferSyntaxUid: string,
    private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  ) {
    this.kept = [meta];
    this.keptBytes = meta.length;
    this.explicit = transferSyntaxUid !== TS.ImplicitVRLittleEndian;
    this.little = transferSyntaxUid !== TS.ExplicitVRBigEndian;
    this.state = transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian ? { kind: 'whole' } : { kind: 'header' };
  }

  /** Data set bytes received so far (the File Meta Information not included). */
  get bytes(): number {
    return this.received;
  }

  /** Bytes held in memory (the kept elements and what waits to be cut). */
  get retainedBytes(): number {
    return this.keptBytes + this.pendingBytes;
  }

  /** Feeds the next bytes of the data set. A malformed encoding is remembered and thrown by end(). */
  push(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.failure) return;
    try {
      this.consume(chunk);
    } catch (e) {
      if (!(e instanceof InvalidDicomError)) throw e;
      this.failure = e;
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  /** The data set is complete: its catalogue scan, or the reason it is not a whole, valid object. */
  end(): ScannedPart10 {
    if (this.failure) throw this.failure;
    if (this.state.kind === 'whole') return scanPart10(Buffer.concat([...this.kept, ...this.pending]), this.limits);
    this.finish();
    const s = this.state as State;
    if (s.kind === 'skip' || s.kind === 'keep') throw new TruncatedDataSetError(`the last value needs ${s.left} more bytes`);
    if (s.kind === 'fragments') throw new TruncatedDataSetError('encapsulated pixel data has no sequence delimiter');
    return scanPart10(this.kept.length === 1 ? this.kept[0] : Buffer.concat(this.kept, this.keptBytes), this.limits);
  }

  /** Reads what waits to be cut as if no more bytes will come (a last header shorter than 12 bytes, a last sequence). */
  private finish(): void {
    for (;;) {
      const s = this.state;
      if (s.kind === 'header' && this.pendingBytes > 0) {
        const head = this.take(this.pendingBytes);
        // Throws TruncatedDataSetError when the bytes do not hold a whole header.
        this.consume(head.subarray(this.onHeader(head)));
      } else if (s.kind === 'fragments' && this.pendingBytes > 0) {
        throw new TruncatedDataSetError(`an item header of encapsulated pixel data needs ${ITEM_HEADER} bytes, ${this.pendingBytes} remain`);
      } else if (s.kind === 'sequence') {
        this.consume(this.trySequence(true));
      } else {
        return;
      }
    }
  }

  private cursor(buf: Buffer, pos: number): Cursor {
    return new Cursor(buf, pos, this.explicit, this.little);
  }

  private consume(chunk: Buffer): void {
    let buf = chunk;
    while (buf.length > 0) {
      const s = this.state;
      switch (s.kind) {
        case 'whole':
          this.hold(buf);
          return;
        case 'skip': {
          const n = Math.min(s.left, buf.length);
          s.left -= n;
          buf = buf.subarray(n);
          if (s.left === 0) this.state = { kind: s.then };
          break;
        }
        case 'keep': {
          const n = Math.min(s.left, buf.length);
          this.keep(buf.subarray(0, n));
          s.left -= n;
          buf = buf.subarray(n);
          if (s.left === 0) this.state = { kind: 'header' };
          break;
        }
        case 'sequence': {
          this.hold(buf);
          buf = this.trySequence(false);
          break;
        }
        case 'header':
        case 'fragments': {
          const need = s.kind === 'header' ? MAX_HEADER : ITEM_HEADER;
          // Headers are read from the pending bytes once enough are in (or all there are, at the end).
          const room = Math.min(buf.length, need - Math.min(need, this.pendingBytes));
          this.hold(buf.subarray(0, room));
          buf = buf.subarray(room);
          if (this.pendingBytes < need) break;
          const head = this.take(this.pendingBytes);
          const used = s.kind === 'header' ? this.onHeader(head) : this.onItem(head);
          // What the header did not use (at most 12 bytes) is read before the rest of the chunk,
          // not concatenated with it (a copy of up to a whole PDV per element).
          if (used < head.length) this.consume(head.subarray(used));
          break;
        }
      }
    }
  }

  /** A top-level element header at the start of `head`: the state for its value. Returns the header's length. */
  private onHeader(head: Buffer): number {
    const c = this.cursor(head, 0);
    readHeader(c);
    const headerLength = c.pos;
    const len = c.hLen;
    if (isUnSequence(c) || isSequence(c.hVr, len, c.hTag)) {
      if (len === UNDEFINED) {
        // Kept from its header on; walkElement says where it ends once enough bytes are in.
        this.state = { kind: 'sequence', tried: 0 };
        return 0;
      }
      this.keep(head.subarray(0, headerLength));
      this.state = len === 0 ? { kind: 'header' } : { kind: 'keep', left: len };
    } else if (len === UNDEFINED) {
      this.state = { kind: 'fragments' };
    } else if (len > ELIDE_VALUES_ABOVE) {
      this.state = { kind: 'skip', left: len, then: 'header' };
    } else {
      this.keep(head.subarray(0, headerLength));
      this.state = len === 0 ? { kind: 'header' } : { kind: 'keep', left: len };
    }
    return headerLength;
  }

  /** An item header of encapsulated pixel data (PS3.5 A.4): a fragment to pass, or the end of the pixel data. */
  private onItem(head: Buffer): number {
    const c = this.cursor(head, 0);
    const tag = c.tag();
    const len = c.u32();
    if (tag === SEQ_END) {
      this.state = { kind: 'header' };
    } else if (tag !== ITEM) {
      throw new InvalidDicomError(`malformed sequence (7fe0,0010): (${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')}) where an item was expected`);
    } else if (len === UNDEFINED) {
      throw new InvalidDicomError('malformed pixel data: a fragment of undefined length');
    } else if (len > 0) {
      this.state = { kind: 'skip', left: len, then: 'fragments' };
    }
    return ITEM_HEADER;
  }

  /**
   * The kept sequence of undefined length, walked with the element loop once its bytes have at
   * least doubled since the last try (so a long sequence costs O(n log n), not a walk per chunk);
   * returns the bytes after its end, to be read as what follows.
   */
  private trySequence(atEnd: boolean): Buffer {
    const s = this.state as { kind: 'sequence'; tried: number };
    if (!atEnd && this.pendingBytes < Math.max(2 * s.tried, MAX_HEADER)) return Buffer.alloc(0);
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const c = this.cursor(buf, 0);
    try {
      withLimits(this.limits, () => walkElement(c));
    } catch (e) {
      if (!(e instanceof TruncatedDataSetError) || atEnd) throw e;
      this.pending = [buf];
      s.tried = buf.length;
      return Buffer.alloc(0);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.keep(buf.subarray(0, c.pos));
    this.state = { kind: 'header' };
    return buf.subarray(c.pos);
  }

  private hold(b: Buffer): void {
    if (b.length === 0) return;
    this.pending.push(b);
    this.pendingBytes += b.length;
  }

  private take(n: number): Buffer {
    const out = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return out.subarray(0, n);
  }

  /** Kept bytes are copied: a view would hold the whole received PDU (up to 256 KiB) for a few bytes of header. */
  private keep(b: Buffer): void {
    if (b.length === 0) return;
    this.kept.push(Buffer.from(b));
    this.keptBytes += b.length;
  }
}
