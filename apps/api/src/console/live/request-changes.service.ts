import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';

const CHANNEL = 'exam_request_changed';
const RECONNECT_MS = 2_000;

/**
 * The ids of requests whose row changed, as PostgreSQL announces them (trigger of migration
 * 1767710000000, after commit, whichever process wrote). One LISTEN connection per api process,
 * opened by the first subscriber and kept; a lost connection is opened again, and subscribers are
 * told (`resync`) so their pages reload once rather than miss what happened meanwhile.
 */
@Injectable()
export class RequestChanges implements OnModuleDestroy {
  private readonly log = new Logger('RequestChanges');
  private readonly changes = new Subject<{ id: string } | { resync: true }>();
  private client?: Client;
  private connecting?: Promise<void>;
  private closed = false;

  constructor(@Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig) {}

  /** Changes from now on; the LISTEN connection is opened on first use. */
  stream(): Observable<{ id: string } | { resync: true }> {
    void this.ensure();
    return this.changes.asObservable();
  }

  /** Resolves once the LISTEN is in place (tests, and the first page that subscribes). */
  ready(): Promise<void> {
    return this.ensure();
  }

  private ensure(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.cfg.database.url, application_name: 'krypton-console-live' });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.changes.next({ id: n.payload });
    });
    client.on('error', (e) => {
      this.log.warn(`live updates lost their database connection (${e.message}); reconnecting`);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (e) {
      this.log.warn(`live updates cannot listen yet: ${(e as Error).message}`);
      await client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.ensure(), RECONNECT_MS).unref();
    }
  }

  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.changes.next({ resync: true });
    if (!this.closed) setTimeout(() => void this.ensure(), RECONNECT_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.changes.complete();
    await client?.end().catch(() => undefined);
  }
}
