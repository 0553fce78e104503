import { createServer, type Server, type Socket } from 'node:net';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** What the listener received, per message. */
export interface ReceivedResult {
  readonly controlId: string;
  readonly type: string;
  /** ORC-2 or OBR-2 (placer order number), when present. */
  readonly placerOrderNumber: string | null;
  readonly at: number;
}

/**
 * The referrer's system as the hub sees it: an MLLP listener that answers every message with
 * `MSA|AA|<MSH-10>`, the acknowledgement the results step waits for before closing a pathway.
 */
export class ResultsListener {
  readonly received: ReceivedResult[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  async listen(port = 0): Promise<number> {
    this.server = createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const start = buf.indexOf(VT);
        const end = buf.indexOf(FS, start + 1);
        if (start === -1 || end === -1) break;
        const message = buf.subarray(start + 1, end).toString('latin1');
        buf = buf.subarray(end + (buf[end + 1] === CR ? 2 : 1));
        socket.write(this.answer(message));
      }
    });
    socket.on('error', () => undefined); // the hub closing mid-frame is its business
    socket.on('close', () => this.sockets.delete(socket));
  }

  private answer(message: string): Buffer {
    const segments = message.split(/\r\n?|\n/).filter(Boolean);
    const msh = segments.find((s) => s.startsWith('MSH')) ?? 'MSH|^~\\&';
    const sep = msh[3] ?? '|';
    // MSH-1 is the separator itself, so MSH-n is element n-1 of the split.
    const f = msh.split(sep);
    const order = segments.map((s) => s.split(sep)).find((s) => (s[0] === 'ORC' || s[0] === 'OBR') && s[2]);
    this.received.push({ controlId: f[9] ?? '', type: f[8] ?? '', placerOrderNumber: order ? order[2].split(f[1]?.[0] ?? '^')[0] : null, at: Date.now() });
    const now = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const ack = [
      ['MSH', f[1] ?? '^~\\&', f[4] ?? '', f[5] ?? '', f[2] ?? '', f[3] ?? '', now, '', 'ACK', `ACK-${f[9] ?? ''}`, 'P', f[11] ?? '2.5'].join(sep),
      ['MSA', 'AA', f[9] ?? ''].join(sep),
    ].join('\r');
    return Buffer.concat([Buffer.of(VT), Buffer.from(ack + '\r', 'latin1'), Buffer.of(FS, CR)]);
  }
}
