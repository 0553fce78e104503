import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server, Socket, createServer } from 'node:net';
import { PinoLogger } from 'nestjs-pino';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
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
 */
@Injectable()
export class MllpServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;
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
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.cfg.hl7.port, () => resolve());
    });
    this.stopHeartbeat = startHeartbeat(this.cfg.redis.url, 'hl7-gateway');
    this.logger.info({ port: this.cfg.hl7.port, maxMessageBytes: this.cfg.hl7.maxMessageBytes }, 'HL7 gateway listening (MLLP)');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopHeartbeat?.();
    // Stop accepting, then let in-flight messages finish their journal write before sockets close.
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
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
    socket.on('data', (chunk: Buffer) => {
      for (const f of framer.push(chunk)) {
        queue = queue
          .then(async () => {
            const ack = await this.handler.handle(f, peer);
            // A peer gone mid-processing still had its message journaled; only the ACK is lost, and it resends.
            if (!socket.destroyed) socket.write(frame(ack));
          })
          .catch((e) => {
            // No ACK could be produced: closing makes the sender resend, where silence would stall it.
            this.logger.error({ peer, err: e?.message ?? String(e) }, 'no ACK could be produced; closing the connection');
            socket.destroy();
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
