import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import type { AuditRecord, StoredAuditRecord } from './audit-record';
import { AuditWriter } from './audit-writer';
import { AuditSpool } from './audit-spool';
import { AuditFilter, findAuditRecords } from './audit-query';
import { SyslogExporter } from './syslog-exporter';

/**
 * The audit trail for Nest apps: records made durable in the local spool (group commit) and
 * drained into PostgreSQL in batches; reads for the audit routes.
 */
@Injectable()
export class AuditService implements OnModuleInit, OnModuleDestroy {
  private readonly spool: AuditSpool;
  private readonly syslog?: SyslogExporter;
  private readonly log = new Logger('audit');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) readonly cfg: KryptonConfig,
  ) {
    if (cfg.audit.syslog) this.syslog = new SyslogExporter(cfg.audit.syslog);
    const writer = new AuditWriter(
      (text, values) => this.ds.query(text, values),
      (records) => this.syslog?.send(records),
    );
    this.spool = new AuditSpool({
      dir: cfg.audit.spoolDir ?? join(cfg.storage.root, '.audit-spool'),
      insert: (records) => writer.write(records),
      maxLagMs: cfg.audit.maxLagSeconds * 1000,
      log: this.log,
    });
  }

  onModuleInit(): void {
    this.spool.start();
  }

  /** Resolves once the records are durable (spool flushed); rejects with AuditUnavailableError otherwise. */
  record(records: AuditRecord | readonly AuditRecord[]): Promise<void> {
    return this.spool.write(records);
  }

  /** This process's own records are drained first, so a reader sees what it just did. */
  async find(filter: AuditFilter): Promise<StoredAuditRecord[]> {
    await this.spool.drained(2000);
    return findAuditRecords((text, values) => this.ds.query(text, values), filter);
  }

  /** Records durable in the spool and not yet in PostgreSQL (/health, /metrics). */
  backlog(): number {
    return this.spool.backlog();
  }

  async onModuleDestroy(): Promise<void> {
    await this.spool.stop();
    this.syslog?.close();
  }
}
