import type { AuditRecord } from './audit-record';
import { auditRow, type SqlRunner } from './audit-writer';

const COLUMNS = `user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail`;
const SELECT = `
  SELECT user_id, coalesce(roles, '{}'), site, action, outcome, door, resource_type, resource_id, coalesce(patients, '{}'), coalesce(studies, '{}'),
         reason, client_address, detail
    FROM jsonb_to_recordset($1::jsonb) AS x(user_id text, roles text[], site text, action text, outcome text, door text,
         resource_type text, resource_id text, patients text[], studies text[], reason text, client_address text, detail jsonb)`;

/**
 * Appends records to the trail in one statement, in the caller's transaction (the insert trigger
 * numbers and chains them): for a step that must commit with its record, which the spool of the
 * doors (AuditWriter) cannot give.
 */
export async function appendAuditRecords(run: SqlRunner, records: readonly AuditRecord[]): Promise<void> {
  if (!records.length) return;
  await run(`INSERT INTO audit_event (${COLUMNS}) ${SELECT}`, [JSON.stringify(records.map(auditRow))]);
}

/**
 * Appends a record once per idempotency key (kept in `detail.idempotencyKey`), for steps a retried
 * activity repeats. Run it in the transaction of the step it records: the record and the step
 * commit together. Returns false when a record with that key is already there.
 */
export async function appendAuditRecordOnce(run: SqlRunner, idempotencyKey: string, record: AuditRecord): Promise<boolean> {
  const withKey = { ...record, detail: { ...(record.detail ?? {}), idempotencyKey } };
  const inserted = (await run(
    `INSERT INTO audit_event (${COLUMNS}) ${SELECT}
      WHERE NOT EXISTS (SELECT 1 FROM audit_event WHERE detail ? 'idempotencyKey' AND detail->>'idempotencyKey' = $2) RETURNING seq`,
    [JSON.stringify([auditRow(withKey)]), idempotencyKey],
  )) as unknown[];
  return inserted.length > 0;
}
