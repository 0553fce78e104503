import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { MllpAckMismatchError, MllpConnectionRefusedError, MllpPeerClosedError, MllpTimeoutError } from './mllp-errors';
import { sendMllp } from './mllp-sender';

const message = (controlId: string, charset = 'UNICODE UTF-8') => `MSH|^~\\&|KRYPTON|REGION|DPI|CHU|20260115||ORU^R01^ORU_R01|${controlId}|P|2.5|||||FRA|${charset}\rPID|1||1^^^CHU||LÉA\r`;
const frame = (s: string) => Buffer.concat([Buffer.of(0x0b), Buffer.from(s, 'latin1'), Buffer.of(0x1c, 0x0d)]);
const controlIdOf = (bytes: Buffer) => bytes.toString('latin1').split('|')[9];
const ack = (code: string, controlId: string, extra = '') => `MSH|^~\\&|DPI|CHU|KRYPTON|REGION|20260115||ACK^R01^ACK|A1|P|2.5\rMSA|${code}|${controlId}${extra}\r`;

/** A receiver in-process: calls `onFrame` with each frame's bytes (unframed). */
async function receiver(onFrame: (bytes: Buffer, socket: Socket) => void): Promise<{ server: Server; port: number; frames: Buffer[] }> {
  const frames: Buffer[] = [];
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf(Buffer.of(0x1c, 0x0d));
      if (end === -1) return;
      const bytes = buffer.subarray(1, end);
      buffer = buffer.subarray(end + 2);
      frames.push(bytes);
      onFrame(bytes, socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, frames };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
async function open(onFrame: (bytes: Buffer, socket: Socket) => void) {
  const r = await receiver(onFrame);
  servers.push(r.server);
  return r;
}

describe('sendMllp', () => {
  it('returns the AA of the message, which arrived framed and encoded as MSH-18 declares', async () => {
    const { port, frames } = await open((b, s) => s.write(frame(ack('AA', controlIdOf(b)))));
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    expect(await sendMllp('127.0.0.1', port, message('M-1'))).toMatchObject({ code: 'AA', controlId: 'M-1', text: '' });
    expect(frames[0].toString('utf8')).toBe(message('M-1'));
    expect(noDelay).toHaveBeenCalledWith(true);
    noDelay.mockRestore();
    expect(await sendMllp('127.0.0.1', port, message('M-2', '8859/1'))).toMatchObject({ code: 'AA', controlId: 'M-2' });
    expect(frames[1]).toEqual(Buffer.from(message('M-2', '8859/1'), 'latin1'));
  });

  it('returns an AE with its text unescaped and the ERR-3 code, without throwing', async () => {
    const { port } = await open((_b, s) => s.write(frame(ack('AE', 'M-3', '|bad \\F\\ value\rERR||PID^1^5|101^Required field missing^HL70357|E'))));
    expect(await sendMllp('127.0.0.1', port, message('M-3'))).toMatchObject({ code: 'AE', controlId: 'M-3', text: 'bad | value', errorCode: '101' });
  });

  it('throws MllpAckMismatchError for an ACK naming another MSA-2, at once rather than at the timeout', async () => {
    const { port } = await open((_b, s) => s.write(frame(ack('AA', 'SOMEONE-ELSE'))));
    const started = Date.now();
    const e = await sendMllp('127.0.0.1', port, message('M-4'), { timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(MllpAckMismatchError);
    expect(e).toMatchObject({ received: 'SOMEONE-ELSE', controlId: 'M-4', port });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('throws MllpPeerClosedError when the receiver closes without answering', async () => {
    const { port } = await open((_b, s) => s.end());
    await expect(sendMllp('127.0.0.1', port, message('M-5'), { timeoutMs: 5000 })).rejects.toBeInstanceOf(MllpPeerClosedError);
  });

  it('throws MllpTimeoutError when no ACK comes', async () => {
    const { port } = await open(() => undefined);
    await expect(sendMllp('127.0.0.1', port, message('M-6'), { timeoutMs: 300 })).rejects.toMatchObject({ name: 'MllpTimeoutError', stage: 'ack', timeoutMs: 300 });
  });

  it('throws MllpConnectionRefusedError when nothing listens', async () => {
    const { server, port } = await receiver(() => undefined);
    await new Promise((r) => server.close(r));
    const e = await sendMllp('127.0.0.1', port, message('M-7')).catch((x) => x);
    expect(e).toBeInstanceOf(MllpConnectionRefusedError);
    expect(e).toMatchObject({ code: 'ECONNREFUSED', host: '127.0.0.1', port, controlId: 'M-7' });
    expect(e).not.toBeInstanceOf(MllpTimeoutError);
  });
});
