import type { StoredAuditRecord } from './audit-record';
import type { QueryRunner } from './audit-verify';

export interface AuditFilter {
  /** INS or `issuer|patientId`. */
  readonly patients?: readonly string[];
  readonly studyUid?: string;
  readonly user?: string;
  readonly since?: Date;
  readonly until?: Date;
  /** Leave out the records of this user (a patient's own reads in their access log). */
  readonly excludeUser?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Newest first; every filter served by an index (GIN on patients and studies, user, time). */
export async function findAuditRecords(query: QueryRunner, f: AuditFilter): Promise<StoredAuditRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('$', `$${values.length}`));
  };
  if (f.patients?.length) add('patients && $::text[]', f.patients);
  if (f.studyUid) add('studies @> ARRAY[$::text]', f.studyUid);
  if (f.user) add('user_id = $', f.user);
  if (f.excludeUser) add('user_id IS DISTINCT FROM $', f.excludeUser);
  if (f.since) add('at >= $', f.since);
  if (f.until) add('at < $', f.until);
  values.push(f.limit, f.offset);
  const rows = await query<Record<string, unknown>>(
    `SELECT seq, at, user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail, hash
       FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: new Date(r.at as string).toISOString(),
    userId: r.user_id as string | null,
    roles: r.roles as string[],
    site: r.site as string | null,
    action: r.action as string,
    outcome: r.outcome as 'allowed' | 'denied',
    door: r.door as StoredAuditRecord['door'],
    resourceType: r.resource_type as string,
    resourceId: r.resource_id as string | null,
    patients: r.patients as string[],
    studies: r.studies as string[],
    reason: r.reason as string | null,
    clientAddress: r.client_address as string | null,
    detail: r.detail as Record<string, unknown> | null,
    hash: r.hash as string,
  }));
}
