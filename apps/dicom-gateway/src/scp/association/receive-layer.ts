import type { Socket } from 'node:net';
import { readStoreCommand, StoreCommand } from '../store/store-command';
import { MalformedPdvError, Pdu, PduFramer, PduTooLongError, PduType, PdvItem, readPdvs, UnknownPduTypeError } from '@krypton/dicom-network';

/** Limits of one association's receive side (from `dicom.*` in the configuration). */
export interface ReceiveLimits {
  /** Before an association is accepted (A-ASSOCIATE-RQ): a fixed cap, whatever the peer claims. */
  readonly preAssociationMaxPdu: number;
  /** Used when the accepted association says 0 ("no limit"): never more than this. */
  readonly hardMaxPdu: number;
  /** Data set bytes buffered for a DIMSE message other than C-STORE (C-FIND keys, MPPS attributes). */
  readonly maxNonStoreDataset: number;
  /** ARTIM: the A-ASSOCIATE-RQ must arrive this soon after connecting, and the peer must close this soon after a reject or release. */
  readonly artimMs: number;
  /** An accepted association with no PDU in either direction for this long is aborted. */
  readonly idleMs: number;
}

/** The parts of dcmjs-dimse's Network (the base of Scp) this layer drives. */
export interface DimseNetwork {
  socket: Socket;
  connected: boolean;
  dimse?: { getCommandFieldType(): number };
  emit(event: string, ...args: unknown[]): boolean;
  _processPdu(raw: Buffer): Promise<void>;
  _processPDataTf(pdataTf: { getPdvs(): unknown[] }): Promise<void>;
}

/**
 * Where the layer hands the C-STORE requests it receives itself: the command as soon as it is
 * complete, then the data set's PDV values as they arrive (views of the received PDUs, not
 * copied), so that the object streams to its file instead of waiting in memory.
 */
export interface StoreSink {
  begin(command: StoreCommand, presentationContextId: number): StoreReception;
}

/** One C-STORE data set being received: its PDV values in order, then end, or abort if the association ends first. */
export interface StoreReception {
  data(chunk: Buffer): void;
  end(): void;
  abort(): void;
}

type State = 'awaiting-request' | 'deciding' | 'established' | 'closing';

/** A-ABORT source and reasons (PS3.8 9.3.8). */
const ABORT_SOURCE_PROVIDER = 2;
export const AbortReason = { NotSpecified: 0, Unrecognized: 1, Unexpected: 2, InvalidParameter: 6 } as const;
const C_STORE_RQ = 0x0001;

export function abortPdu(source: number, reason: number): Buffer {
  return Buffer.from([PduType.Abort, 0, 0, 0, 0, 4, 0, 0, source, reason]);
}

/** What the layer reports (the gateway logs it). */
export interface ReceiveEvents {
  protocolViolation(what: string): void;
  timedOut(what: string): void;
}

/**
 * The receive side of one association, in place of dcmjs-dimse's (which has no association state
 * machine: it answered a C-STORE sent after its own A-ASSOCIATE-RJ, processed P-DATA before
 * acceptance and on any presentation context, and trusted any PDU length). PS3.8 9.2, reduced to
 * what an acceptor needs:
 * - awaiting the request (Sta2): only A-ASSOCIATE-RQ, at most `preAssociationMaxPdu` bytes,
 *   within `artimMs` of connecting; anything else is answered A-ABORT and the connection closed;
 * - deciding (Sta3): the hub answers synchronously; nothing is expected from the peer;
 * - established (Sta6): P-DATA-TF on accepted presentation contexts only, within the maximum
 *   length the hub announced; A-RELEASE-RQ; A-ABORT; idle for `idleMs` → A-ABORT;
 * - closing (after A-ASSOCIATE-RJ, A-RELEASE-RP, A-ABORT): nothing more is read; the transport is
 *   closed by the hub at once, destroyed if the peer has not let go after `artimMs`.
 * DIMSE handling itself stays dcmjs-dimse's: whole PDUs go to its `_processPdu`, and P-DATA PDV
 * items to its `_processPDataTf` as views of the received bytes (its PDU reader copied each value).
 */
export class AssociationReceiver {
  private state: State = 'awaiting-request';
  private readonly framer: PduFramer;
  private accepted = new Set<number>();
  private maxPdu = 0;
  private since = Date.now();
  private lastActivity = Date.now();
  private nonStoreBytes = 0;
  private readonly timer: NodeJS.Timeout;
  /** Command PDVs of the message being received, until its last one. */
  private commandPdvs: PdvItem[] = [];
  /** The C-STORE whose data set is being received by the hub itself. */
  private storing: StoreReception | null = null;

  constructor(
    private readonly net: DimseNetwork,
    private readonly limits: ReceiveLimits,
    private readonly events: ReceiveEvents,
    private readonly storeSink?: StoreSink,
  ) {
    this.framer = new PduFramer((type) => this.limitFor(type));
    const socket = net.socket;
    const write = socket.write.bind(socket);
    // Sending counts as activity: a C-MOVE whose SCU only waits for responses is not idle.
    socket.write = ((...args: Parameters<Socket['write']>) => {
      this.lastActivity = Date.now();
      return write(...args);
    }) as Socket['write'];
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => {
      net.connected = false;
      net.emit('networkError', e);
    });
    socket.on('close', () => {
      clearInterval(this.timer);
      // A data set cut off by the end of the association is not stored.
      this.storing?.abort();
      this.storing = null;
      net.connected = false;
      net.emit('close');
    });
    this.timer = setInterval(() => this.checkTimers(), Math.min(1000, Math.max(50, Math.floor(Math.min(limits.artimMs, limits.idleMs) / 4))));
    this.timer.unref();
  }

  /** Called by the SCP once it has sent A-ASSOCIATE-AC. */
  established(acceptedContextIds: Iterable<number>, announcedMaxPdu: number): void {
    this.accepted = new Set(acceptedContextIds);
    this.maxPdu = announcedMaxPdu > 0 ? Math.min(announcedMaxPdu, this.limits.hardMaxPdu) : this.limits.hardMaxPdu;
    this.state = 'established';
    this.lastActivity = Date.now();
  }

  /** Called once A-ASSOCIATE-RJ or A-RELEASE-RP is on its way: the connection ends here. */
  closeAfterAnswer(): void {
    this.state = 'closing';
    this.since = Date.now();
    this.net.socket.end();
  }

  get current(): State {
    return this.state;
  }

  private limitFor(type: number): number {
    if (this.state === 'established' && type === PduType.PDataTf) return this.maxPdu;
    return this.limits.preAssociationMaxPdu;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closing') return;
    this.framer.push(chunk);
    for (;;) {
      let pdu: Pdu | null;
      try {
        pdu = this.framer.next();
      } catch (e) {
        if (e instanceof PduTooLongError) return this.abort(AbortReason.InvalidParameter, e.message);
        if (e instanceof UnknownPduTypeError) return this.abort(AbortReason.Unrecognized, e.message);
        throw e;
      }
      if (!pdu) return;
      this.lastActivity = Date.now();
      this.onPdu(pdu);
      // A reject, release or abort ends the association: whatever follows is not read.
      if ((this.state as State) === 'closing') return;
    }
  }

  private onPdu(pdu: Pdu): void {
    switch (this.state) {
      case 'awaiting-request':
        if (pdu.type !== PduType.AssociateRq) return this.abort(AbortReason.Unexpected, `PDU type ${pdu.type} before A-ASSOCIATE-RQ`);
        this.state = 'deciding';
        void this.net._processPdu(pdu.raw);
        // The SCP answers synchronously; a request it could not read leaves us here.
        if ((this.state as State) === 'deciding') this.abort(AbortReason.InvalidParameter, 'unreadable A-ASSOCIATE-RQ');
        return;
      case 'established':
        if (pdu.type === PduType.PDataTf) return this.onPData(pdu.body);
        if (pdu.type === PduType.ReleaseRq) {
          void this.net._processPdu(pdu.raw);
          return;
        }
        if (pdu.type === PduType.Abort) {
          void this.net._processPdu(pdu.raw);
          this.state = 'closing';
          this.net.socket.destroy();
          return;
        }
        return this.abort(AbortReason.Unexpected, `PDU type ${pdu.type} on an established association`);
      default:
        return this.abort(AbortReason.Unexpected, `PDU type ${pdu.type} while ${this.state}`);
    }
  }

  private onPData(body: Buffer): void {
    let items: PdvItem[];
    try {
      items = readPdvs(body);
    } catch (e) {
      if (e instanceof MalformedPdvError) return this.abort(AbortReason.InvalidParameter, e.message);
      throw e;
    }
    const forward: PdvItem[] = [];
    for (const item of items) {
      if (!this.accepted.has(item.presentationContextId)) {
        return this.abort(AbortReason.InvalidParameter, `P-DATA on presentation context ${item.presentationContextId}, which was not accepted`);
      }
      if (item.isCommand) {
        this.nonStoreBytes = 0;
        this.commandPdvs.push(item);
        if (!item.isLast) continue;
        const pdvs = this.commandPdvs;
        this.commandPdvs = [];
        const command = this.storeSink ? readStoreCommand(pdvs.length === 1 ? pdvs[0].value : Buffer.concat(pdvs.map((p) => p.value))) : null;
        if (command?.hasDataset && this.storeSink) {
          this.storing?.abort();
          this.storing = this.storeSink.begin(command, item.presentationContextId);
        } else {
          forward.push(...pdvs);
        }
      } else if (this.storing) {
        this.storing.data(item.value);
        if (item.isLast) {
          const reception = this.storing;
          this.storing = null;
          reception.end();
        }
      } else {
        // With a store sink every C-STORE data set is taken above: whatever reaches dcmjs-dimse is bounded.
        if (this.storeSink || this.net.dimse?.getCommandFieldType() !== C_STORE_RQ) {
          this.nonStoreBytes += item.value.length;
          if (this.nonStoreBytes > this.limits.maxNonStoreDataset) {
            return this.abort(AbortReason.InvalidParameter, `data set of more than ${this.limits.maxNonStoreDataset} bytes for a message other than C-STORE`);
          }
        }
        forward.push(item);
      }
    }
    if (forward.length === 0) return;
    void this.net._processPDataTf({
      getPdvs: () =>
        forward.map((p) => ({
          getPresentationContextId: () => p.presentationContextId,
          getValue: () => p.value,
          isLastFragment: () => p.isLast,
          isCommand: () => p.isCommand,
        })),
    });
  }

  /** A-ABORT (service provider) and close: the peer broke the protocol or a limit. */
  private abort(reason: number, why: string): void {
    this.events.protocolViolation(why);
    this.storing?.abort();
    this.storing = null;
    this.state = 'closing';
    this.since = Date.now();
    const socket = this.net.socket;
    if (!socket.destroyed) socket.end(abortPdu(ABORT_SOURCE_PROVIDER, reason));
  }

  private checkTimers(): void {
    const now = Date.now();
    const socket = this.net.socket;
    if (socket.destroyed) return clearInterval(this.timer);
    if (this.state === 'awaiting-request' && now - this.since >= this.limits.artimMs) {
      this.events.timedOut('no A-ASSOCIATE-RQ within the ARTIM timeout');
      this.state = 'closing';
      socket.destroy();
    } else if (this.state === 'closing' && now - this.since >= this.limits.artimMs) {
      socket.destroy();
    } else if (this.state === 'established' && now - this.lastActivity >= this.limits.idleMs) {
      this.events.timedOut(`association idle for ${this.limits.idleMs} ms`);
      this.abort(AbortReason.NotSpecified, 'idle timeout');
    }
  }
}
