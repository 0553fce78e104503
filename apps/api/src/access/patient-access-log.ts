import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import { accessContext, AccessService, identifierValues } from '@krypton/access';
import { AuditService, StoredAuditRecord } from '@krypton/audit';

/** One line of a patient's access log: who saw what of theirs, when, through which door, why. */
export interface AccessLogEntry {
  readonly at: StoredAuditRecord['at'];
  readonly who: string | null;
  readonly roles: StoredAuditRecord['roles'];
  readonly site: string | null;
  readonly action: string;
  readonly outcome: string;
  readonly door: string;
  readonly studies: StoredAuditRecord['studies'];
  readonly why: string | null;
  readonly emergency: boolean;
}

/**
 * A patient's access log (`GET /me/access-log` and the console's patient screen): decided and
 * audited like every read of the trail; others' accesses only (the patient's own are not news).
 *
 * @throws ForbiddenException for a caller without an INS (not a patient).
 */
export async function patientAccessLog(
  access: AccessService,
  audit: AuditService,
  req: Request,
  q: { since?: Date; until?: Date; limit?: number; offset?: number },
  route = 'me/access-log',
): Promise<AccessLogEntry[]> {
  const actx = accessContext(req);
  const ins = actx.subject.kind === 'user' ? identifierValues(actx.subject, 'ins') : [];
  const d = access.decide(actx, 'search', { type: 'audit', patientIns: ins });
  await access.record(actx, {
    action: 'search',
    outcome: d.allowed && ins.length > 0 ? 'allowed' : 'denied',
    resourceType: 'audit',
    patients: ins,
    reason: ins.length ? d.reason : 'no INS: not a patient',
    detail: { route },
  });
  if (!d.allowed || !ins.length) throw new ForbiddenException('the access log is for patients (a user with an INS)');
  const rows = await audit.find({
    patients: ins,
    excludeUser: actx.subject.kind === 'user' ? actx.subject.id : undefined,
    since: q.since,
    until: q.until,
    limit: q.limit ?? 100,
    offset: q.offset ?? 0,
  });
  return rows.map((r: StoredAuditRecord) => ({
    at: r.at,
    who: r.userId,
    roles: r.roles,
    site: r.site,
    action: r.action,
    outcome: r.outcome,
    door: r.door,
    studies: r.studies,
    why: r.reason,
    emergency: r.action === 'emergency-access' || (r.reason ?? '').startsWith('grant:emergency'),
  }));
}
