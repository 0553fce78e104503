import { userInfo } from 'node:os';
import type { DataSource } from 'typeorm';
import { AuditRecord, AuditWriter } from '@krypton/audit';

/**
 * The CLI is a door too (issue #10): what an operator does to patient data from the command
 * line is audited under `cli:<OS user>`. The command fails if the record cannot be written.
 */
export async function auditCli(ds: DataSource, r: Pick<AuditRecord, 'action' | 'resourceType' | 'reason' | 'detail'> & { outcome?: AuditRecord['outcome'] }): Promise<void> {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container): the record still says it came from the CLI.
  }
  await new AuditWriter((text, values) => ds.query(text, values)).write({
    userId: `cli:${user}`,
    roles: ['operator'],
    site: null,
    door: 'CLI',
    outcome: r.outcome ?? 'allowed',
    action: r.action,
    resourceType: r.resourceType,
    reason: r.reason,
    detail: r.detail,
    clientAddress: null,
  });
}
