/** PDU types of the DICOM upper layer (PS3.8 9.3). */
export const PduType = {
  AssociateRq: 0x01,
  AssociateAc: 0x02,
  AssociateRj: 0x03,
  PDataTf: 0x04,
  ReleaseRq: 0x05,
  ReleaseRp: 0x06,
  Abort: 0x07,
} as const;

const KNOWN = new Set<number>(Object.values(PduType));
const HEADER = 6;

/** A PDU longer than the receiver allows at this point of the association. */
export class PduTooLongError extends Error {
  constructor(
    public readonly type: number,
    public readonly length: number,
    public readonly limit: number,
  ) {
    super(`PDU type 0x${type.toString(16).padStart(2, '0')} of ${length} bytes exceeds the limit of ${limit}`);
    this.name = 'PduTooLongError';
  }
}

/** Bytes that do not start a DICOM PDU (an HTTP request, a TLS hello, garbage). */
export class UnknownPduTypeError extends Error {
  constructor(public readonly type: number) {
    super(`unknown PDU type 0x${type.toString(16).padStart(2, '0')}`);
    this.name = 'UnknownPduTypeError';
  }
}

/** One whole PDU: its type and its body (the bytes after the 6-byte header). */
export interface Pdu {
  readonly type: number;
  readonly body: Buffer;
  /** The whole PDU, header included (what dcmjs-dimse's own PDU reader takes). */
  readonly raw: Buffer;
}

/**
 * Cuts the socket's byte stream into PDUs. Replaces dcmjs-dimse's accumulator, which trusted the
 * 32-bit length of any peer (a 4 GiB claim was buffered until memory ran out) and concatenated
 * the partial PDU with every new socket chunk (quadratic copying of each 256 KiB PDU). Here the
 * chunks are kept in a list and a PDU costs at most one copy (none when it lies within one chunk),
 * and the length is checked against `limit()` — the association's state decides it — as soon as
 * the header is in, before its body is buffered.
 */
export class PduFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly limit: (type: number) => number) {}

  /** Feeds one socket chunk. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next whole PDU, or null until more bytes come. One at a time, so that the caller's state
   * (hence the length limit) is up to date when the next header is checked. Throws on a bad header.
   */
  next(): Pdu | null {
    if (this.buffered < HEADER) return null;
    const head = this.peek(HEADER);
    const type = head[0];
    if (!KNOWN.has(type)) throw new UnknownPduTypeError(type);
    const length = head.readUInt32BE(2);
    const limit = this.limit(type);
    if (length > limit) throw new PduTooLongError(type, length, limit);
    if (this.buffered < HEADER + length) return null;
    const raw = this.take(HEADER + length);
    return { type, body: raw.subarray(HEADER), raw };
  }

  /** The first n buffered bytes, copied only if they span chunks. */
  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= n) return first;
    return Buffer.concat(this.chunks, Math.min(this.buffered, Math.max(n, 0))).subarray(0, n);
  }

  /** Removes and returns the first n bytes: a view when they lie in the first chunk, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0];
      const room = n - off;
      if (c.length <= room) {
        c.copy(out, off);
        off += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, off, 0, room);
        this.chunks[0] = c.subarray(room);
        off += room;
      }
    }
    return out;
  }
}

/** One PDV item of a P-DATA-TF (PS3.8 9.3.5.1), its value a view of the PDU. */
export interface PdvItem {
  readonly presentationContextId: number;
  readonly isCommand: boolean;
  readonly isLast: boolean;
  readonly value: Buffer;
}

/** A P-DATA-TF whose PDV items do not add up to its length. */
export class MalformedPdvError extends Error {
  constructor(public readonly offset: number) {
    super(`malformed PDV item at offset ${offset} of a P-DATA-TF`);
    this.name = 'MalformedPdvError';
  }
}

/** Splits a P-DATA-TF body into its PDV items without copying their values. */
export function readPdvs(body: Buffer): PdvItem[] {
  const out: PdvItem[] = [];
  let off = 0;
  while (off < body.length) {
    if (off + 6 > body.length) throw new MalformedPdvError(off);
    const len = body.readUInt32BE(off);
    if (len < 2 || off + 4 + len > body.length) throw new MalformedPdvError(off);
    const header = body[off + 5];
    out.push({ presentationContextId: body[off + 4], isCommand: (header & 1) === 1, isLast: (header & 2) === 2, value: body.subarray(off + 6, off + 4 + len) });
    off += 4 + len;
  }
  return out;
}
