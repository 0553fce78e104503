import type { AuditRecord } from './audit-record';
import { AuditUnavailableError } from './audit-record';

/** Runs one SQL statement with parameters (a pg client, pool or TypeORM DataSource). */
export type SqlRunner = (text: string, values: unknown[]) => Promise<unknown>;

/**
 * One statement per batch, in the order given (the chain order). A record already filed under its
 * `record_id` (a spool segment drained again after a crash) is skipped before the chain trigger
 * runs, so it takes no sequence number.
 */
const INSERT = `
  INSERT INTO audit_event (record_id, at, user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail)
  SELECT record_id, at, user_id, coalesce(roles, '{}'), site, action, outcome, door, resource_type, resource_id, coalesce(patients, '{}'), coalesce(studies, '{}'),
         reason, client_address, detail
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (record_id uuid, at timestamptz, user_id text, roles text[], site text, action text, outcome text, door text,
         resource_type text, resource_id text, patients text[], studies text[], reason text, client_address text, detail jsonb))
         WITH ORDINALITY AS x(record_id, at, user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail, n)
   WHERE x.record_id IS NULL OR NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.record_id = x.record_id)
   ORDER BY x.n`;

/** A record as the columns of audit_event (jsonb_to_recordset ignores the keys a statement does not declare). */
export function auditRow(r: AuditRecord & Partial<SpooledFields>) {
  return {
    record_id: r.recordId ?? null,
    at: r.at ?? null,
    user_id: r.userId,
    roles: r.roles,
    site: r.site,
    action: r.action,
    outcome: r.outcome,
    door: r.door,
    resource_type: r.resourceType,
    resource_id: r.resourceId ?? null,
    patients: [...new Set(r.patients ?? [])],
    studies: [...new Set(r.studies ?? [])],
    reason: r.reason ?? null,
    client_address: r.clientAddress ?? null,
    detail: r.detail ?? null,
  };
}

/** What the spool adds to a record: its id (dedup on re-drain) and the time of the access. */
export interface SpooledFields {
  readonly recordId: string;
  /** ISO 8601. */
  readonly at: string;
}

export type WritableAuditRecord = AuditRecord & Partial<SpooledFields>;

interface Pending {
  readonly records: readonly WritableAuditRecord[];
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Appends audit records durably, in batches: records handed in while a batch is being written
 * wait for the next one, so concurrent requests share one INSERT (one commit, one WAL flush)
 * instead of queueing on the chain head one by one. `write` resolves only once its records are
 * committed; a failure rejects with AuditUnavailableError and the door refuses the access.
 */
export class AuditWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly run: SqlRunner,
    private readonly onWritten: (records: readonly AuditRecord[]) => void = () => undefined,
    private readonly maxBatch = 500,
  ) {}

  write(records: WritableAuditRecord | readonly WritableAuditRecord[]): Promise<void> {
    const list = Array.isArray(records) ? (records as WritableAuditRecord[]) : [records as WritableAuditRecord];
    if (!list.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records: list, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch: Pending[] = [];
        let n = 0;
        while (this.queue.length && (n === 0 || n + this.queue[0].records.length <= this.maxBatch)) {
          const p = this.queue.shift()!;
          batch.push(p);
          n += p.records.length;
        }
        const records = batch.flatMap((p) => p.records);
        try {
          await this.run(INSERT, [JSON.stringify(records.map(auditRow))]);
        } catch (e) {
          const err = new AuditUnavailableError(e);
          for (const p of batch) p.reject(err);
          continue;
        }
        for (const p of batch) p.resolve();
        try {
          this.onWritten(records);
        } catch {
          // Export (syslog) is best effort; the database is the record.
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
