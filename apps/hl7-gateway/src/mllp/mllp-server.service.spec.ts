import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { configSchema } from '@krypton/config';
import { MllpServerService } from './mllp-server.service';
import { frame } from './mllp-framer';

const logger = { setContext: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined } as any;

/**
 * The connection handling of the MLLP listener on real sockets, with a handler the test holds:
 * the socket is paused while a message is in hand, so the sender waits on TCP.
 */
describe('MllpServerService connection handling', () => {
  let server: Server;
  let serverSocket: Socket | undefined;
  let release: (() => void) | undefined;
  const handled: { peer: string; address?: string }[] = [];

  beforeAll(async () => {
    const handler = {
      handle: async (_f: unknown, peer: string, address?: string) => {
        handled.push({ peer, address });
        await new Promise<void>((r) => (release = r));
        return Buffer.from(`MSH|^~\\&|ACK${handled.length}`);
      },
    };
    const svc = new MllpServerService(configSchema.parse({}), handler as any, logger);
    server = createServer((s) => {
      serverSocket = s;
      (svc as any).serve(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterAll(() => new Promise((r) => server.close(r)));

  it('pauses the socket while a message is processed and resumes once every ACK is written', async () => {
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const received: string[] = [];
    client.on('data', (d) => received.push(d.toString('latin1')));
    await new Promise((r) => client.once('connect', r));
    client.write(Buffer.concat([frame(Buffer.from('MSH|^~\\&|ONE')), frame(Buffer.from('MSH|^~\\&|TWO'))]));

    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };
    await until(() => handled.length === 1);
    expect(serverSocket!.isPaused()).toBe(true);
    expect(handled[0].address).toMatch(/127\.0\.0\.1$/);
    release!();
    await until(() => handled.length === 2);
    expect(serverSocket!.isPaused()).toBe(true);
    release!();
    await until(() => received.join('').includes('ACK2'));
    await until(() => !serverSocket!.isPaused());
    client.destroy();
  });
});
