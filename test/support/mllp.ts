import { execFile } from 'node:child_process';
import { Socket, connect } from 'node:net';
import { connect as connectTls, ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Frames a message for MLLP. */
export function mllpFrame(message: Buffer | string): Buffer {
  return Buffer.concat([Buffer.of(0x0b), Buffer.from(message), Buffer.of(0x1c, 0x0d)]);
}

/**
 * A raw MLLP connection for what mllp_send cannot do: truncated frames, split writes, several
 * messages in one write, oversized frames. ACK frames are collected as they arrive.
 */
export class MllpConnection {
  readonly acks: Buffer[] = [];
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const start = this.buffer.indexOf(0x0b);
        const end = this.buffer.indexOf(0x1c);
        if (start === -1 || end === -1) break;
        this.acks.push(this.buffer.subarray(start + 1, end));
        this.buffer = this.buffer.subarray(end + 2);
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  static open(port: number): Promise<MllpConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new MllpConnection(s)));
      s.once('error', reject);
    });
  }

  /** MLLP over TLS: `tls` carries the CA to trust (and a client certificate, if any). */
  static openTls(port: number, tls: ConnectionOptions): Promise<MllpConnection> {
    return new Promise((resolve, reject) => {
      const s = connectTls({ host: '127.0.0.1', port, ...tls }, () => resolve(new MllpConnection(s)));
      s.once('error', reject);
    });
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Waits until `n` ACKs have arrived in total on this connection, then returns them as text. */
  async waitAcks(n: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.acks.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} ACKs, got ${this.acks.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return this.acks.map((a) => a.toString('latin1'));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends one message on a new connection and returns its ACK as text. */
export async function sendOne(port: number, message: Buffer | string): Promise<string> {
  const c = await MllpConnection.open(port);
  try {
    c.write(mllpFrame(message));
    return (await c.waitAcks(1))[0];
  } finally {
    c.close();
  }
}

/** Debian python3-hl7's mllp_send: a real peer. `--loose` turns the file's LF into CR. */
export async function mllpSend(port: number, file: string): Promise<string> {
  const { stdout } = await run('mllp_send', ['--loose', '-f', file, '-p', String(port), '127.0.0.1'], { timeout: 15_000 });
  return stdout;
}

/** The fields of an ACK the suites look at. */
export function ackFields(ack: string): { code: string; controlId: string; ackControlId: string; text: string; errCode: string; errLocation: string } {
  const segs = ack
    .split(/\r|\n/)
    .filter(Boolean)
    .map((s) => s.split('|'));
  const msh = segs.find((s) => s[0] === 'MSH') ?? [];
  const msa = segs.find((s) => s[0] === 'MSA') ?? [];
  const err = segs.find((s) => s[0] === 'ERR') ?? [];
  return { code: msa[1] ?? '', controlId: msa[2] ?? '', ackControlId: msh[9] ?? '', text: msa[3] ?? '', errCode: (err[3] ?? '').split('^')[0], errLocation: err[2] ?? '' };
}
