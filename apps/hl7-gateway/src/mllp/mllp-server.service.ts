import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server, Socket, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { PinoLogger } from 'nestjs-pino';
import { KRYPTON_CONFIG, KryptonConfig, tlsServerOptions } from '@krypton/config';
import { startHeartbeat } from '@krypton/queue';
import { MessageHandler } from '../message-handler.service';
import { MllpFramer, frame } from './mllp-framer';

/**
 * The MLLP listener: node:net and the gateway's own framer rather than @medplum/hl7's Hl7Server,
 * which wraps every socket in an Hl7Connection (whose framing loses frames, see mllp-framer.ts),
 * offers no way to know it is listening, and retries a port in use every 50 ms forever where a
 * gateway must fail at start-up. Each connection handles its messages one at a time, in arrival order, and
 * answers each before the next is read from the framer's output: HL7 senders pair ACKs to
 * messages by order as much as by MSA-2, and a pathway must see an order before its cancel.
 * While a connection has a message in hand its socket is paused: the sender waits on TCP instead
 * of the gateway buffering whatever it pushes. With `hl7.tls`, a second listener speaks MLLP over
 * TLS (same handling).
 */
@Injectable()
export class MllpServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private stopHeartbeat?: () => Promise<void>;

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly handler: MessageHandler,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('MllpServer');
  }

  async onApplicationBootstrap(): Promise<void> {
    const filed = await this.handler.applyFiledAdt();
    if (filed) this.logger.info({ applied: filed }, 'ADT messages filed before ADT application was available have been applied');
    await this.listen(
      createServer((socket) => this.serve(socket)),
      this.cfg.hl7.port,
    );
    const tls = this.cfg.hl7.tls;
    if (tls) {
      const server = createTlsServer(tlsServerOptions(tls, 'hl7.tls'), (socket) => this.serve(socket));
      server.on('tlsClientError', (e, socket) => this.logger.info({ peer: `${socket.remoteAddress}:${socket.remotePort}`, err: e.message }, 'MLLP TLS handshake refused'));
      await this.listen(server, tls.port);
    }
    this.stopHeartbeat = startHeartbeat(this.cfg.redis.url, 'hl7-gateway');
    this.logger.info(
      { port: this.cfg.hl7.port, tlsPort: tls?.port, maxMessageBytes: this.cfg.hl7.maxMessageBytes, allowedSenders: this.cfg.hl7.allowedSenders.length },
      'HL7 gateway listening (MLLP)',
    );
  }

  private async listen(server: Server, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
    this.servers.push(server);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopHeartbeat?.();
    // Stop accepting, then let in-flight messages finish their journal write before sockets close.
    const closed = Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const s of this.sockets) s.end();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
  }

  private serve(socket: Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.sockets.add(socket);
    // ACKs are small and awaited by the sender: Nagle's delay would sit on every one of them.
    socket.setNoDelay(true);
    // Interfaces keep connections open for days; keep-alive finds peers that vanished without a FIN.
    socket.setKeepAlive(true, 60_000);
    const framer = new MllpFramer(this.cfg.hl7.maxMessageBytes);
    let queue = Promise.resolve();
    let inHand = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) {
        inHand++;
        socket.pause();
        queue = queue
          .then(async () => {
            const ack = await this.handler.handle(f, peer, socket.remoteAddress);
            // A peer gone mid-processing still had its message journaled; only the ACK is lost, and it resends.
            if (!socket.destroyed) socket.write(frame(ack));
          })
          .catch((e) => {
            // No ACK could be produced: closing makes the sender resend, where silence would stall it.
            this.logger.error({ peer, err: e?.message ?? String(e) }, 'no ACK could be produced; closing the connection');
            socket.destroy();
          })
          .finally(() => {
            if (--inHand === 0 && !socket.destroyed) socket.resume();
          });
      }
    });
    socket.on('error', (e) => this.logger.debug({ peer, err: e.message }, 'MLLP connection error'));
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (framer.pendingBytes > 0) this.logger.info({ peer, bytes: framer.pendingBytes }, 'MLLP peer disconnected mid-frame; the unfinished message was not acknowledged');
    });
  }
}
