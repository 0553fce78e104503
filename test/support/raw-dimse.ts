import * as dimse from 'dcmjs-dimse';
import { connect, createServer } from 'node:net';

const { Client, Dataset } = dimse;
dimse.log.setLevel('silent');
const { CStoreRequest } = dimse.requests;

/**
 * Sends a C-STORE whose data set bytes are exactly `bytes` (truncated, garbage...), which no
 * well-behaved SCU would do, and resolves with the status the hub answers.
 */
export function storeRawBytes(port: number, callingAe: string, sopClassUid: string, sopInstanceUid: string, bytes: Buffer, transferSyntaxUid = '1.2.840.10008.1.2.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const ds = new Dataset({ SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid }, transferSyntaxUid);
    (ds as any).getDenaturalizedDataset = () => bytes;
    const req = new CStoreRequest(ds);
    let status: number | null = null;
    req.on('response', (res: any) => (status = res.getStatus()));
    const client = new Client();
    client.addRequest(req);
    client.on('networkError', (e: Error) => reject(e));
    client.on('closed', () => (status === null ? reject(new Error('no C-STORE response')) : resolve(status)));
    client.send('127.0.0.1', port, callingAe, 'KRYPTON');
  });
}

/** Opens a TCP connection, writes `payload`, and closes (a peer that talks nonsense, or hangs up mid-PDU). */
export function sendRawBytes(port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.write(payload, () => {
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 100);
      });
    });
    s.on('error', () => resolve());
  });
}

/**
 * A TCP relay to the hub that hangs up both sides once `limit` bytes have gone through: a peer
 * that disconnects mid-transfer at a known point, whatever the speed of the machine.
 */
export function hangUpRelay(port: number, limit: number): Promise<{ port: number; close: () => void; cut: Promise<void> }> {
  return new Promise((resolve) => {
    let cutDone: () => void;
    const cut = new Promise<void>((r) => (cutDone = r));
    const server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port });
      let sent = 0;
      client.on('data', (chunk) => {
        const room = limit - sent;
        if (room <= 0) return;
        upstream.write(room >= chunk.length ? chunk : chunk.subarray(0, room));
        sent += Math.min(room, chunk.length);
        if (sent >= limit) {
          upstream.destroy();
          client.destroy();
          cutDone();
        }
      });
      upstream.on('data', (chunk) => client.write(chunk));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, close: () => server.close(), cut }));
  });
}

/** An element of an implicit VR little endian command set. */
function cmdElement(tag: number, value: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(tag >>> 16, 0);
  h.writeUInt16LE(tag & 0xffff, 2);
  h.writeUInt32LE(value.length, 4);
  return Buffer.concat([h, value]);
}
const us = (v: number) => Buffer.from([v & 0xff, v >> 8]);
const uid = (u: string) => Buffer.from(u.length % 2 ? `${u}\0` : u, 'latin1');

/** A DIMSE command set (group 0000, implicit VR little endian) with its group length. */
export function commandSet(fields: [number, Buffer][]): Buffer {
  const body = Buffer.concat(fields.map(([t, v]) => cmdElement(t, v)));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  return Buffer.concat([cmdElement(0x00000000, len), body]);
}

export const echoCommand = (messageId = 1) =>
  commandSet([
    [0x00000002, uid('1.2.840.10008.1.1')],
    [0x00000100, us(0x0030)],
    [0x00000110, us(messageId)],
    [0x00000800, us(0x0101)],
  ]);

export const storeCommand = (sopClassUid: string, sopInstanceUid: string, messageId = 1) =>
  commandSet([
    [0x00000002, uid(sopClassUid)],
    [0x00000100, us(0x0001)],
    [0x00000110, us(messageId)],
    [0x00000700, us(0)],
    [0x00000800, us(0x0000)],
    [0x00001000, uid(sopInstanceUid)],
  ]);

function pduOf(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h[0] = type;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
}

function item(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUInt16BE(body.length, 2);
  return Buffer.concat([h, body]);
}

const ae = (t: string) => Buffer.from(t.padEnd(16, ' ').slice(0, 16), 'latin1');

/** A-ASSOCIATE-RQ proposing each abstract syntax (context ids 1, 3, 5...) in explicit and implicit VR little endian. */
export function associateRq(callingAe: string, calledAe: string, abstractSyntaxes: string[], maxPdu = 16384): Buffer {
  const fixed = Buffer.concat([Buffer.from([0, 1, 0, 0]), ae(calledAe), ae(callingAe), Buffer.alloc(32)]);
  const appContext = item(0x10, Buffer.from('1.2.840.10008.3.1.1.1'));
  const contexts = abstractSyntaxes.map((as, i) =>
    item(0x20, Buffer.concat([Buffer.from([1 + 2 * i, 0, 0, 0]), item(0x30, Buffer.from(as)), item(0x40, Buffer.from('1.2.840.10008.1.2.1')), item(0x40, Buffer.from('1.2.840.10008.1.2'))])),
  );
  const max = Buffer.alloc(4);
  max.writeUInt32BE(maxPdu);
  const userInfo = item(0x50, item(0x51, max));
  return pduOf(0x01, Buffer.concat([fixed, appContext, ...contexts, userInfo]));
}

/** One P-DATA-TF with one PDV item (flags: bit 0 command, bit 1 last fragment). */
export function pData(presentationContextId: number, flags: number, value: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt32BE(value.length + 2, 0);
  h[4] = presentationContextId;
  h[5] = flags;
  return pduOf(0x04, Buffer.concat([h, value]));
}

export const releaseRq = () => pduOf(0x05, Buffer.alloc(4));

/**
 * A raw TCP peer: writes what it is told, keeps every byte the hub answers and when the hub closed.
 * `types()` lists the PDU types received, in order.
 */
export class RawPeer {
  readonly received: Buffer[] = [];
  readonly closed: Promise<number>;
  private readonly socket;

  private constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (d) => this.received.push(d));
    this.socket.on('error', () => undefined);
    const opened = Date.now();
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve(Date.now() - opened)));
  }

  static open(port: number): Promise<RawPeer> {
    const p = new RawPeer(port);
    return new Promise((resolve, reject) => {
      p.socket.once('connect', () => resolve(p));
      p.socket.once('error', reject);
    });
  }

  send(...bytes: Buffer[]): void {
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(bytes));
  }

  types(): number[] {
    const all = Buffer.concat(this.received);
    const out: number[] = [];
    for (let off = 0; off + 6 <= all.length; off += 6 + all.readUInt32BE(off + 2)) out.push(all[off]);
    return out;
  }

  /** The last PDU received, whole. */
  last(): Buffer {
    const all = Buffer.concat(this.received);
    let off = 0;
    let last = Buffer.alloc(0);
    while (off + 6 <= all.length) {
      const len = all.readUInt32BE(off + 2);
      last = all.subarray(off, off + 6 + len);
      off += 6 + len;
    }
    return last;
  }

  async waitFor(type: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.types().includes(type)) {
      if (Date.now() > deadline) throw new Error(`no PDU of type ${type} within ${timeoutMs} ms (got ${this.types()})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}
