import * as dimse from 'dcmjs-dimse';
import { connect, createServer } from 'node:net';

const { Client, Dataset } = dimse;
dimse.log.setLevel('silent');
const { CStoreRequest } = dimse.requests;

/**
 * Sends a C-STORE whose data set bytes are exactly `bytes` (truncated, garbage...), which no
 * well-behaved SCU would do, and resolves with the status the hub answers.
 */
export function storeRawBytes(port: number, callingAe: string, sopClassUid: string, sopInstanceUid: string, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const ds = new Dataset({ SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid }, '1.2.840.10008.1.2.1');
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
