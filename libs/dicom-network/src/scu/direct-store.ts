import { connect, Socket } from 'node:net';
import { splitPart10, TS } from '@krypton/dicom-codec';
import { BufferPool, readFileWhole } from '@krypton/storage';
import { abortRequest, AcceptedAssociation, associateRequest, parseAssociateAccept, ProposedContext, releaseRequest } from './association-pdus';
import { PduFramer, PduType, readPdvs } from '../pdu/pdu-framer';
import { readCommandSet } from './command-set-reader';
import { writeCommandSet } from './command-set-writer';
import { writePData } from './fast-pdata';
import { AssociationRejectedError, PeerUnavailableError } from './scu-errors';
import type { DicomPeer, StoreFile, StoreOptions, StoreResult } from './store-scu';

/** Files read ahead of the one on the wire, and the largest one read ahead. */
const READ_AHEAD = 3;
const READ_AHEAD_MAX_BYTES = 64 * 1024 * 1024;
/** What we announce we receive: the SCU only receives small responses. */
const OUR_MAX_PDU = 65536;
/** The largest association answer, release or abort PDU taken from a peer (an A-ASSOCIATE-AC of every context is a few KiB). */
const OTHER_PDU_MAX = 64 * 1024;
/** dcmjs-dimse's and dcmtk's cap when the peer sets no limit. */
const NO_LIMIT_PDU = 4 * 1024 * 1024;

export interface DirectStoreOutcome {
  readonly results: StoreResult[];
  /** Files no accepted context carries as stored (another syntax needed): for a sender that transcodes. */
  readonly leftovers: StoreFile[];
}

/** Whether a file can go through storeFilesDirect: its class and stored syntax known, not deflated. */
export function sendableAsStored(f: StoreFile): boolean {
  return !!f.sopClassUid && !!f.transferSyntaxUid && f.transferSyntaxUid !== TS.DeflatedExplicitVRLittleEndian;
}

/**
 * The contexts for a set of files: one per SOP class and stored syntax, proposing that syntax
 * first, then the uncompressed ones (so that a peer that takes only those still accepts the class,
 * and the file goes to the transcoding sender). Null beyond the 128 contexts an association holds.
 */
export function storeContexts(files: readonly StoreFile[]): ProposedContext[] | null {
  const keys = [...new Set(files.map((f) => `${f.sopClassUid}|${f.transferSyntaxUid}`))];
  if (keys.length > 128) return null;
  return keys.map((k, i) => {
    const [abstractSyntax, ts] = k.split('|');
    return { id: 2 * i + 1, abstractSyntax, transferSyntaxes: [...new Set([ts, TS.ExplicitVRLittleEndian, TS.ImplicitVRLittleEndian])] };
  });
}

/**
 * A C-STORE SCU written on the socket, for files sent as stored (the retrieve and forwarding hot
 * path): one association proposing every SOP class and syntax of the batch, each file read from
 * disk while earlier ones are on the wire, its data set bytes written as P-DATA of the peer's max
 * PDU without being parsed, the next request sent as soon as the answer is in. dcmjs-dimse's
 * client costs about as much CPU per 0.5 MB instance as the destination's whole work (its PDU
 * parser, event emitters and per-message buffers), which kept C-MOVE at half of Orthanc's rate.
 * Files whose context the peer accepted in another syntax are returned as leftovers for the
 * transcoding sender (storeFiles). Errors as storeFiles: AssociationRejectedError, or
 * PeerUnavailableError (results received before it were reported through onResult).
 */
export async function storeFilesDirect(peer: DicomPeer, files: readonly StoreFile[], contexts: readonly ProposedContext[], opts: StoreOptions): Promise<DirectStoreOutcome> {
  const name = `${peer.aeTitle}@${peer.host}:${peer.port}`;
  const timeout = opts.timeoutMs ?? 30_000;
  const pduTimeout = opts.timeoutMs ?? 60_000;
  const link = new Link(name);
  // Callers record progress in onResult: all of it is done before this returns or throws.
  const callbacks: Promise<unknown>[] = [];
  await link.open(peer, timeout);
  try {
    link.write(associateRequest(opts.callingAeTitle, peer.aeTitle, contexts, OUR_MAX_PDU));
    const answer = await link.next(timeout);
    if (answer.type === PduType.AssociateRj) throw new AssociationRejectedError(name, answer.body[1], answer.body[2], answer.body[3]);
    if (answer.type !== PduType.AssociateAc) throw new PeerUnavailableError(name, `answered the association request with PDU type ${answer.type}`);
    const assoc: AcceptedAssociation = parseAssociateAccept(answer.body);
    const contextOf = new Map(contexts.filter((c) => assoc.accepted.get(c.id) === c.transferSyntaxes[0]).map((c) => [`${c.abstractSyntax}|${c.transferSyntaxes[0]}`, c.id]));
    const sendable: { file: StoreFile; contextId: number }[] = [];
    const leftovers: StoreFile[] = [];
    for (const f of files) {
      const id = contextOf.get(`${f.sopClassUid}|${f.transferSyntaxUid}`);
      if (id === undefined) leftovers.push(f);
      else sendable.push({ file: f, contextId: id });
    }
    const maxPdu = assoc.maxPduLength === 0 ? NO_LIMIT_PDU : Math.min(assoc.maxPduLength, NO_LIMIT_PDU);
    const slots = new FileSlots();
    const reads: (Promise<Slot> | undefined)[] = [];
    const readAt = (i: number) => {
      if (i < sendable.length && !reads[i] && (sendable[i].file.size ?? 0) <= READ_AHEAD_MAX_BYTES) {
        const p = slots.read(sendable[i].file.path);
        p.catch(() => undefined);
        reads[i] = p;
      }
    };
    const results: StoreResult[] = [];
    for (let i = 0; i < sendable.length; i++) {
      for (let k = i; k <= i + READ_AHEAD; k++) readAt(k);
      const { file, contextId } = sendable[i];
      let slot: Slot;
      try {
        slot = await (reads[i] ?? slots.read(file.path, false));
      } catch (e) {
        throw new PeerUnavailableError(name, `cannot read ${file.path}: ${(e as Error).message}`);
      }
      reads[i] = undefined;
      const messageId = (i % 0xffff) + 1;
      const command = writeCommandSet({
        AffectedSOPClassUID: file.sopClassUid,
        CommandField: 0x0001,
        MessageID: messageId,
        Priority: 0,
        CommandDataSetType: 0x0202,
        AffectedSOPInstanceUID: file.sopInstanceUid,
      }) as Buffer;
      writePData(link.socket, contextId, maxPdu, command, splitPart10(slot.bytes).body);
      const rsp = await link.response(pduTimeout);
      // Answered: the peer has every byte, so the buffer may take the next file.
      slots.release(slot);
      const r: StoreResult = {
        sopInstanceUid: file.sopInstanceUid,
        status: typeof rsp.Status === 'number' ? rsp.Status : 0xa700,
        detail: typeof rsp.ErrorComment === 'string' ? rsp.ErrorComment : null,
      };
      results.push(r);
      if (opts.onResult) callbacks.push(Promise.resolve(opts.onResult(r)));
    }
    link.write(releaseRequest());
    // A peer that closes instead of answering the release has still stored what it acknowledged.
    await link.next(timeout).catch(() => undefined);
    await Promise.allSettled(callbacks);
    return { results, leftovers };
  } catch (e) {
    link.abort();
    await Promise.allSettled(callbacks);
    throw e;
  } finally {
    link.close();
  }
}

interface Slot {
  /** The file's bytes: a view of `buffer`. */
  readonly bytes: Buffer;
  readonly buffer: Buffer | null;
}

/**
 * Reads files into a few buffers used again and again (one per file under way; see BufferPool).
 * A buffer goes back once the peer answered its file (it then has every byte).
 */
class FileSlots {
  private readonly pool = new BufferPool(1048576, 64 * 1048576);

  async read(path: string, pooled = true): Promise<Slot> {
    let buffer: Buffer | null = null;
    const bytes = await readFileWhole(path, (size) => {
      buffer = pooled ? this.pool.take(size) : Buffer.allocUnsafeSlow(size);
      return buffer;
    });
    return { bytes, buffer: pooled ? buffer : null };
  }

  release(slot: Slot): void {
    if (slot.buffer) this.pool.give(slot.buffer);
  }
}

/** The socket of one association: PDUs in order, waited for with a timeout; the connection's end as an error. */
class Link {
  socket!: Socket;
  /**
   * The peer's PDUs, each length checked before its body is buffered: a P-DATA-TF no longer than
   * the max PDU we announced, anything else (association answers, release, abort) small.
   */
  private readonly framer = new PduFramer((type) => (type === PduType.PDataTf ? OUR_MAX_PDU : OTHER_PDU_MAX));
  private readonly queue: { type: number; body: Buffer }[] = [];
  private waiter: ((p: { type: number; body: Buffer } | Error) => void) | null = null;
  private failure: Error | null = null;
  /** Command fragments of the message being received. */
  private command: Buffer[] = [];

  constructor(private readonly name: string) {}

  open(peer: DicomPeer, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: peer.host, port: peer.port, noDelay: true });
      this.socket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PeerUnavailableError(this.name, `no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('error', (e) => {
        clearTimeout(timer);
        this.fail(new PeerUnavailableError(this.name, e.message));
        reject(this.failure);
      });
      socket.on('close', () => this.fail(new PeerUnavailableError(this.name, 'the connection closed')));
      socket.on('data', (chunk: Buffer) => {
        this.framer.push(chunk);
        try {
          for (let p = this.framer.next(); p; p = this.framer.next()) this.deliver(p);
        } catch (e) {
          // A PDU too long or of no known type: the peer broke the protocol; the association ends.
          this.fail(new PeerUnavailableError(this.name, (e as Error).message));
          socket.destroy();
        }
      });
    });
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiter;
    this.waiter = null;
    w?.(this.failure);
  }

  private deliver(p: { type: number; body: Buffer }): void {
    if (p.type === PduType.Abort) return this.fail(new PeerUnavailableError(this.name, `aborted the association (source ${p.body[2]}, reason ${p.body[3]})`));
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(p);
    } else this.queue.push(p);
  }

  /** The next PDU, or the failure of the connection. */
  next(timeoutMs: number): Promise<{ type: number; body: Buffer }> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new PeerUnavailableError(this.name, `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (p) => {
        clearTimeout(timer);
        if (p instanceof Error) reject(p);
        else resolve(p);
      };
    });
  }

  /** The command set of the next DIMSE message (a C-STORE response: no data set follows). */
  async response(timeoutMs: number): Promise<Record<string, unknown>> {
    for (;;) {
      const p = await this.next(timeoutMs);
      if (p.type !== PduType.PDataTf) throw new PeerUnavailableError(this.name, `sent PDU type ${p.type} where a C-STORE response was expected`);
      for (const v of readPdvs(p.body)) {
        if (!v.isCommand) continue;
        this.command.push(v.value);
        if (!v.isLast) continue;
        const whole = Buffer.concat(this.command);
        this.command = [];
        return readCommandSet(whole) ?? statusOnly(whole);
      }
    }
  }

  abort(): void {
    if (!this.socket.destroyed && !this.failure) this.socket.write(abortRequest());
  }

  /** Ends the connection once what was written is flushed (the release, or an abort). */
  close(): void {
    this.socket.end();
    this.socket.unref();
  }
}

/** Status and Error Comment of a response holding elements readCommandSet does not know (Offending Element, ...). */
function statusOnly(command: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let o = 0; o + 8 <= command.length;) {
    const tag = ((command.readUInt16LE(o) << 16) | command.readUInt16LE(o + 2)) >>> 0;
    const len = command.readUInt32LE(o + 4);
    if (tag === 0x00000900 && len === 2) out.Status = command.readUInt16LE(o + 8);
    if (tag === 0x00000902) out.ErrorComment = command.toString('latin1', o + 8, o + 8 + len).trim();
    o += 8 + len;
  }
  return out;
}
