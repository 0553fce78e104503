import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import type { AuditRecord, StoredAuditRecord } from './audit-record';
import { AuditWriter } from './audit-writer';
import { AuditFilter, findAuditRecords } from './audit-query';
import { SyslogExporter } from './syslog-exporter';

/** The audit trail for Nest apps: durable batched appends, reads for the audit routes. */
@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly writer: AuditWriter;
  private readonly syslog?: SyslogExporter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) readonly cfg: KryptonConfig,
  ) {
    if (cfg.audit.syslog) this.syslog = new SyslogExporter(cfg.audit.syslog);
    this.writer = new AuditWriter(
      (text, values) => this.ds.query(text, values),
      (records) => this.syslog?.send(records),
    );
  }

  /** Resolves once the records are committed; rejects with AuditUnavailableError otherwise. */
  record(records: AuditRecord | readonly AuditRecord[]): Promise<void> {
    return this.writer.write(records);
  }

  find(filter: AuditFilter): Promise<StoredAuditRecord[]> {
    return findAuditRecords((text, values) => this.ds.query(text, values), filter);
  }

  onModuleDestroy(): void {
    this.syslog?.close();
  }
}
