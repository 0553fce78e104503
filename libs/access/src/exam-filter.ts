import type { AccessAction, ExamScope } from '@krypton/config';
import type { AccessPolicy } from './access-policy';
import { ExamResourceType, poolGrantees, RIGHTS_ACTIONS, siteGrantees } from './decide';
import type { GrantRights } from './exam-facts';
import { AccessSubject, identifierValues } from './subject';

/**
 * A SQL condition over the catalogue alias `st` (study), with bare `$`
 * placeholders in order (the catalogue query numbers them), like the catalogue's own match keys.
 */
export interface ExamCondition {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** `all`: no restriction; `none`: nothing may be seen; otherwise the condition. */
export type ExamFilter = 'all' | 'none' | ExamCondition;

/**
 * Each scope is a condition over the study row `st`. They are OR-ed, never gathered into one
 * `st.study_uid IN (union …)`: that built the whole set of a site's study UIDs (tens of thousands)
 * on every search before the first row came out. Now PostgreSQL walks the list's order index and
 * tests each row: the site by its source AE (a column of the row), the rest by index probes
 * (EXISTS) or a small hashed set (grants, a pool's patients, a referrer's requests). Every grant
 * the scopes honour is one clause, and no clause goes through the `exam_request_study` view:
 * planning the view's UNION ALL in each clause cost more than running them (bench:access).
 * test/access-filter.e2e-spec.ts checks, subject by subject and action by action on PostgreSQL,
 * that this lets through exactly what `decide` allows.
 */
type Condition = ExamCondition;

/** When the filter is built and for which action: grants in force then, whose rights cover the action. */
interface GrantWindow {
  readonly now: Date;
  readonly action: AccessAction;
}

/** The SQL twin of `activeGrants`: in force at `now` (a parameter, so that an injected clock holds) and covering the action. */
function activeGrant(w: GrantWindow): ExamCondition {
  const rights = (Object.keys(RIGHTS_ACTIONS) as GrantRights[]).filter((r) => RIGHTS_ACTIONS[r].includes(w.action));
  return { sql: '(g.expires_at IS NULL OR g.expires_at > $) AND (g.rights IS NULL OR g.rights = ANY($))', params: [w.now, rights] };
}

/** Studies reached through access grants to these grantees: a few per caller, hashed once. */
const granted = (grantees: readonly string[], w: GrantWindow): Condition => {
  const active = activeGrant(w);
  return { sql: `st.study_uid IN (SELECT g.study_uid FROM study_grant g WHERE g.grantee = ANY($) AND ${active.sql})`, params: [grantees, ...active.params] };
};

/**
 * The Study UIDs a request names (pre-assigned, acquired), straight from `exam_request` rather
 * than through the `exam_request_study` view: the view's UNION ALL, expanded in every clause
 * that used it, made planning cost more than running (5 ms of a radiologist's 15 ms).
 */
const REQUEST_STUDY_UIDS = 'unnest(ARRAY[r.study_instance_uid, r.acquired_study_uid])';

/** The site part of a scope: the source AE's site, the uploader's site (STOW), the request's site. Shares are in the one grant clause. */
function siteCondition(policy: AccessPolicy, sites: readonly string[]): Condition | null {
  if (!sites.length) return null;
  return {
    sql:
      '(st.source_ae = ANY($)' +
      ' OR EXISTS (SELECT 1 FROM study_origin o WHERE o.study_uid = st.study_uid AND o.site = ANY($))' +
      ' OR EXISTS (SELECT 1 FROM exam_request r WHERE (r.study_instance_uid = st.study_uid OR r.acquired_study_uid = st.study_uid) AND coalesce(r.scheduled_site, r.target_site) = ANY($)))',
    params: [policy.aeTitlesOf(sites), sites, sites],
  };
}

/** The grantees whose grants a scope honours (besides what `scopeCondition` tests on the row). */
function scopeGrantees(scope: ExamScope, s: AccessSubject): string[] {
  if (s.kind === 'peer') return scope === 'site' && s.site ? siteGrantees([s.site]) : [];
  if (scope === 'site') return siteGrantees(s.sites);
  if (scope === 'shared') return [...s.identifiers, ...siteGrantees(s.sites)];
  // An exam shared with a pool (a protocol's share) is one of the pool's exams for what the share allows.
  if (scope === 'pool') return poolGrantees(s.pools);
  return [];
}

function scopeCondition(policy: AccessPolicy, scope: ExamScope, s: AccessSubject, w: GrantWindow): Condition | null {
  if (s.kind === 'peer') return scope === 'site' && s.site ? siteCondition(policy, [s.site]) : null;
  switch (scope) {
    case 'all':
    case 'shared':
      return null;
    case 'site':
      return siteCondition(policy, s.sites);
    case 'pool':
      // `examInScope`'s pool scope: the patient has an exam a pool holds an open or claimed task
      // for (the exam itself and its priors: every study of that patient), or the caller claimed
      // or signed this exam's own task. The pool's patients are one hashed set, found from the
      // pool's open tasks (reading_task_open_pool_idx) by index probes of request and study:
      // no parallel plan, no view.
      return {
        sql:
          '(st.patient_fk IN (SELECT s2.patient_fk FROM reading_task t JOIN exam_request r ON r.id = t.request_id' +
          " JOIN study s2 ON s2.study_uid = ANY(ARRAY[r.study_instance_uid, r.acquired_study_uid]) WHERE t.state IN ('open', 'claimed') AND t.pool = ANY($))" +
          ` OR st.study_uid IN (SELECT ${REQUEST_STUDY_UIDS} FROM reading_task t JOIN exam_request r ON r.id = t.request_id WHERE t.claimed_by = $ OR t.signed_by = $))`,
        params: [s.pools, s.id, s.id],
      };
    case 'requested':
      return {
        sql: `st.study_uid IN (SELECT ${REQUEST_STUDY_UIDS} FROM exam_request r WHERE r.referrer->>'rpps' = ANY($) OR r.created_by = $)`,
        params: [identifierValues(s, 'rpps'), s.id],
      };
    case 'own': {
      const ins = identifierValues(s, 'ins');
      if (!ins.length) return null;
      const released = granted(
        ins.map((i) => `ins:${i}`),
        { now: w.now, action: 'search' },
      );
      return {
        sql: `(EXISTS (SELECT 1 FROM patient p3 WHERE p3.id = st.patient_fk AND p3.ins = ANY($)) AND ${released.sql})`,
        params: [ins, ...released.params],
      };
    }
  }
}

/**
 * The SQL twin of `decide` for searches (QIDO-RS, C-FIND, lists): the exams a subject may
 * `action` as one condition, so that filtering happens in the query, before LIMIT/OFFSET, never
 * after paging. Kept beside `examInScope`, scope by scope; test/access-filter.e2e-spec.ts checks both agree.
 */
export function examFilter(policy: AccessPolicy, s: AccessSubject, action: AccessAction, type: ExamResourceType = 'study', now: Date = new Date()): ExamFilter {
  const w: GrantWindow = { now, action };
  const permitting = policy.permitting(s, type, action);
  if (!permitting.length) return 'none';
  const scopes = new Set(permitting.flatMap((p) => p.policy.exams));
  if (scopes.has('all')) return 'all';
  const parts: Condition[] = [];
  const grantees = new Set<string>();
  // Whether every part needs a grant of the study (`own`: the release to the patient's INS).
  let grantBound = true;
  for (const scope of scopes) {
    const q = scopeCondition(policy, scope, s, w);
    if (q) parts.push(q);
    if (q && scope !== 'own') grantBound = false;
    for (const g of scopeGrantees(scope, s)) grantees.add(g);
  }
  // A grant to the user by name (break-the-glass, a personal share).
  if (s.kind === 'user') grantees.add(`user:${s.id}`);
  // Every grant a scope honours, in one clause: the same window, so one probe of study_grant
  // instead of one per scope (each expanded the view again, at planning and at run time).
  if (grantees.size) parts.push(granted([...grantees], w));
  if (!parts.length) return 'none';
  const any: Condition = { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
  if (!grantBound) return any;
  // A patient (or a share's holder) sees a handful of granted studies among all: the same
  // condition, led by a conjunct it implies — the studies granted to any of these grantees — that
  // PostgreSQL joins on by Study UID, instead of walking the whole list's order index and testing
  // every study (35 ms over 100,000 studies for 3 results; 2 ms so, bench:access).
  const all = [...grantees, ...(s.kind === 'user' ? identifierValues(s, 'ins').map((i) => `ins:${i}`) : [])];
  return { sql: `(st.study_uid IN (SELECT g0.study_uid FROM study_grant g0 WHERE g0.grantee = ANY($)) AND ${any.sql})`, params: [all, ...any.params] };
}

/**
 * The same scopes over `exam_request` columns (no alias), for request lists (GET /requests,
 * /pathways). A request not yet placed at a site (target "any site of the region") is visible to
 * the site-scoped roles: one of them has to place it.
 */
export function requestFilter(policy: AccessPolicy, s: AccessSubject, action: AccessAction): ExamFilter {
  const permitting = policy.permitting(s, 'request', action);
  if (!permitting.length || s.kind !== 'user') return 'none';
  const scopes = new Set(permitting.flatMap((p) => p.policy.exams));
  if (scopes.has('all')) return 'all';
  const parts: ExamCondition[] = [];
  const grantedTo = (g: readonly string[]) => ({ sql: 'id IN (SELECT e.request_id FROM exam_access_grant e WHERE e.grantee = ANY($))', params: [g] });
  for (const scope of scopes) {
    if (scope === 'site' && s.sites.length) parts.push({ sql: '(coalesce(scheduled_site, target_site) = ANY($) OR coalesce(scheduled_site, target_site) IS NULL)', params: [s.sites] });
    if (scope === 'pool') parts.push({ sql: 'id IN (SELECT t.request_id FROM reading_task t WHERE t.pool = ANY($) OR t.claimed_by = $ OR t.signed_by = $)', params: [s.pools, s.id, s.id] });
    if (scope === 'requested') parts.push({ sql: "(created_by = $ OR referrer->>'rpps' = ANY($))", params: [s.id, identifierValues(s, 'rpps')] });
    if (scope === 'shared' && s.identifiers.length) parts.push(grantedTo(s.identifiers));
    if (scope === 'own') {
      const ins = identifierValues(s, 'ins');
      if (ins.length) parts.push({ sql: `(patient_ins = ANY($) AND ${grantedTo([]).sql})`, params: [ins, ins.map((i) => `ins:${i}`)] });
    }
  }
  if (!parts.length) return 'none';
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/**
 * Numbers a condition's bare `$` placeholders after the values already bound (`values` grows by
 * its params): how a caller puts the access filter into a query of its own.
 */
export function bindCondition(c: ExamCondition, values: unknown[]): string {
  let k = 0;
  return c.sql.replace(/\$/g, () => `$${values.push(c.params[k++])}`);
}
