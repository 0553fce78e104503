// MLLP block characters (HL7 v2 Transport Specification: MLLP release 1), as the library names them.
import { CR, FS, VT } from '@medplum/hl7';

export type MllpFrame =
  | { readonly kind: 'message'; readonly bytes: Buffer }
  /** A frame over the size limit: only its head is kept, to address the AR and file the refusal. */
  | { readonly kind: 'oversized'; readonly head: Buffer; readonly size: number };

/**
 * Cuts a TCP byte stream into MLLP frames.
 *
 * Hand-written, not @medplum/hl7's Hl7Connection: that one buffers reads until one *ends* with
 * 0x1C 0x0D and then parses the whole buffer as a single message, so (measured with 4.5.2) the
 * second of two frames arriving in one read is silently lost, a frame whose 0x1C and 0x0D arrive in
 * different reads never completes, a CR/LF before 0x0B makes the message unreadable, and a frame
 * is held in memory whatever its size. A gateway must do the opposite on each count.
 * Pure and synchronous, so that every way a stream can be
 * split (several messages in one read, one message over many reads, a block character alone at the
 * end of a read) is unit-tested without sockets.
 *
 * Liberal in three ways that real interfaces need: bytes outside a frame (keep-alive newlines,
 * noise) are ignored; a frame ends at 0x1C whether or not the CR follows, since 0x1C cannot occur
 * in HL7 text; and a new 0x0B inside an unfinished frame abandons that frame (the sender restarted
 * it) — nothing is lost, because an unfinished frame was never acknowledged.
 */
export class MllpFramer {
  private inFrame = false;
  private parts: Buffer[] = [];
  private size = 0;
  private oversized = false;

  constructor(
    private readonly maxBytes: number,
    /** How much of an oversized frame is kept; MSH fits easily. */
    private readonly headBytes = 4096,
  ) {}

  /** Bytes of the frame in progress, if any: what a disconnect now would drop. */
  get pendingBytes(): number {
    return this.inFrame ? this.size : 0;
  }

  push(chunk: Buffer): MllpFrame[] {
    const frames: MllpFrame[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(VT, i);
        if (start === -1) break;
        this.begin();
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(FS, i);
      const restart = chunk.indexOf(VT, i);
      if (restart !== -1 && (end === -1 || restart < end)) {
        this.begin();
        i = restart + 1;
        continue;
      }
      if (end === -1) {
        this.append(chunk.subarray(i));
        break;
      }
      this.append(chunk.subarray(i, end));
      frames.push(this.finish());
      i = end + 1;
    }
    return frames;
  }

  private begin(): void {
    this.inFrame = true;
    this.parts = [];
    this.size = 0;
    this.oversized = false;
  }

  private append(data: Buffer): void {
    if (data.length === 0) return;
    this.size += data.length;
    if (this.oversized) return;
    if (this.size <= this.maxBytes) {
      // Copied: the socket may reuse the chunk's memory once the callback returns.
      this.parts.push(Buffer.from(data));
      return;
    }
    this.oversized = true;
    this.parts = [Buffer.concat([...this.parts, data]).subarray(0, this.headBytes)];
  }

  private finish(): MllpFrame {
    this.inFrame = false;
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    return this.oversized ? { kind: 'oversized', head: Buffer.from(bytes), size: this.size } : { kind: 'message', bytes };
  }
}

/** Wraps an outbound message (an ACK) in its MLLP frame. */
export function frame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.of(VT), message, Buffer.of(FS, CR)]);
}
