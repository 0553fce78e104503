import type { AccessAction, ExamScope, ResourceType } from '@krypton/config';
import type { AccessPolicy } from './access-policy';
import type { AccessGrant, DosePatientFacts, ExamFacts, GrantRights } from './exam-facts';
import { AccessSubject, granteesOf, identifierValues, UserSubject } from './subject';

export const EXAM_RESOURCES = ['study', 'request', 'report', 'reading-task'] as const;
export type ExamResourceType = (typeof EXAM_RESOURCES)[number];

export type AccessResource =
  | { readonly type: ExamResourceType; readonly exam: ExamFacts }
  /** `reachableExam`: the patient has an exam within the subject's exam scopes (the `exams` dose scope). */
  | { readonly type: 'dose-record'; readonly patient: DosePatientFacts; readonly reachableExam: boolean }
  /** Audit records about these patients (INS); none = the whole trail. */
  | { readonly type: 'audit'; readonly patientIns: readonly string[] }
  /** Resources decided by role alone: lists whose rows are filtered in SQL, analyses, configuration. */
  | { readonly type: Exclude<ResourceType, ExamResourceType | 'dose-record' | 'audit'> };

export interface Decision {
  readonly allowed: boolean;
  /** Why: the rule that allowed (`radiologist:pool`, `grant:emergency`) or the reason for refusal. */
  readonly reason: string;
}

const allow = (reason: string): Decision => ({ allowed: true, reason });
const deny = (reason: string): Decision => ({ allowed: false, reason });

const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

/** The actions each share right opens: viewing is searching, metadata and pixels; download adds download. */
export const RIGHTS_ACTIONS: Readonly<Record<GrantRights, readonly AccessAction[]>> = {
  view: ['search', 'read-metadata', 'read-pixels'],
  download: ['search', 'read-metadata', 'read-pixels', 'download'],
};

/** Grants in force at `now`, and (given an action) whose rights cover it. */
export function activeGrants(grants: readonly AccessGrant[], now: Date, action?: AccessAction): AccessGrant[] {
  return grants.filter((g) => (g.expiresAt === null || g.expiresAt.getTime() > now.getTime()) && (!action || !g.rights || RIGHTS_ACTIONS[g.rights].includes(action)));
}

/** Grantees that stand for a user's sites: a share with a site (or its organisation) names them. */
export const siteGrantees = (sites: readonly string[]): string[] => sites.map((s) => `site:${s}`);

/** The grantee that stands for a reading pool: a protocol's share with a pool names it (issue #11). */
export const poolGrantee = (pool: string): string => `pool:${pool}`;
export const poolGrantees = (pools: readonly string[]): string[] => pools.map(poolGrantee);

/** Whether one exam scope reaches this exam for this subject. */
export function examInScope(scope: ExamScope, s: AccessSubject, f: ExamFacts, now: Date, action?: AccessAction): boolean {
  if (scope === 'all') return true;
  // An exam shared with a site is one of the site's exams for what the share allows.
  const sharedWithSites = (sites: readonly string[]) => activeGrants(f.grants, now, action).some((g) => siteGrantees(sites).includes(g.grantee));
  if (s.kind === 'peer') return scope === 'site' && s.site !== null && (f.sites.includes(s.site) || sharedWithSites([s.site]));
  switch (scope) {
    case 'site':
      return intersects(f.sites, s.sites) || sharedWithSites(s.sites);
    case 'pool':
      // An exam shared with a pool is one of the pool's exams for what the share allows.
      return (
        intersects(f.taskPools, s.pools) || intersects(f.priorPools, s.pools) || f.readers.includes(s.id) || activeGrants(f.grants, now, action).some((g) => poolGrantees(s.pools).includes(g.grantee))
      );
    case 'requested':
      return f.creators.includes(s.id) || intersects(f.requesterRpps, identifierValues(s, 'rpps'));
    case 'shared':
      return activeGrants(f.grants, now, action).some((g) => s.identifiers.includes(g.grantee)) || sharedWithSites(s.sites);
    case 'own': {
      // Released: the pathway grants the exam to the patient's INS when the report is signed.
      const ins = identifierValues(s, 'ins');
      return f.patientIns !== null && ins.includes(f.patientIns) && activeGrants(f.grants, now).some((g) => g.grantee === `ins:${f.patientIns}`);
    }
  }
}

function decideExam(policy: AccessPolicy, s: AccessSubject, action: AccessAction, type: ExamResourceType, f: ExamFacts, now: Date): Decision {
  const permitting = policy.permitting(s, type, action);
  for (const { name, policy: p } of permitting) {
    for (const scope of p.exams) if (examInScope(scope, s, f, now, action)) return allow(`${name}:${scope}`);
    // A request not yet placed at any site is for every site-scoped role to see (and place).
    if (type === 'request' && p.exams.includes('site') && f.sites.length === 0 && f.studyUid === null && f.requestIds.length > 0) return allow(`${name}:unplaced`);
  }
  if (s.kind === 'user') {
    // A grant to the user by name (break-the-glass, a personal share) opens the exam for what the role may do.
    const own = activeGrants(f.grants, now, action).find((g) => g.grantee === `user:${s.id}`);
    if (own && permitting.length) return allow(`grant:${own.kind}`);
  }
  return deny(`${type} outside the caller's exams`);
}

function decideDose(policy: AccessPolicy, s: UserSubject | AccessSubject, action: AccessAction, r: Extract<AccessResource, { type: 'dose-record' }>): Decision {
  for (const { name, policy: p } of policy.permitting(s, 'dose-record', action)) {
    for (const scope of p.dose) {
      const ok =
        scope === 'all' ||
        (scope === 'exams' && r.reachableExam) ||
        (s.kind === 'user' && scope === 'site' && intersects(r.patient.sites, s.sites)) ||
        (s.kind === 'user' && scope === 'own' && r.patient.patientIns !== null && identifierValues(s, 'ins').includes(r.patient.patientIns));
      if (ok) return allow(`${name}:dose-${scope}`);
    }
  }
  return deny("dose history outside the caller's patients");
}

function decideAudit(policy: AccessPolicy, s: AccessSubject, action: AccessAction, patientIns: readonly string[]): Decision {
  for (const { name, policy: p } of policy.permitting(s, 'audit', action)) {
    if (p.audit === 'all') return allow(`${name}:audit-all`);
    if (p.audit === 'own' && s.kind === 'user' && patientIns.length > 0) {
      const mine = identifierValues(s, 'ins');
      if (patientIns.every((i) => mine.includes(i))) return allow(`${name}:audit-own`);
    }
  }
  return deny("audit records outside the caller's reach");
}

/**
 * The one authorization decision of the hub (issue #10): for a subject, an action and a resource
 * with its facts, allowed or not and why. Pure: every door loads the facts and asks this.
 */
export function decide(policy: AccessPolicy, s: AccessSubject, action: AccessAction, r: AccessResource, now: Date = new Date()): Decision {
  const permitting = policy.permitting(s, r.type, action);
  if (!permitting.length) {
    const who = s.kind === 'user' ? `role ${s.roles.join('/') || '(none)'}` : `AE kind ${s.aeKind}`;
    return deny(`${who} may not ${action} ${r.type}`);
  }
  if ('exam' in r) return decideExam(policy, s, action, r.type, r.exam, now);
  if (r.type === 'dose-record') return decideDose(policy, s, action, r);
  if (r.type === 'audit') return decideAudit(policy, s, action, r.patientIns);
  return allow(permitting.map((p) => p.name).join(','));
}

/** Role-level check only (the guard, before any fact is loaded). */
export function permits(policy: AccessPolicy, s: AccessSubject, type: ResourceType, action: AccessAction): boolean {
  return policy.permitting(s, type, action).length > 0;
}

export { granteesOf };
