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
 * (EXISTS) or a small hashed set (grants, a pool's patients, a referrer's requests).
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

function siteCondition(policy: AccessPolicy, sites: readonly string[], w: GrantWindow): Condition | null {
  if (!sites.length) return null;
  const shared = granted(siteGrantees(sites), w);
  return {
    sql:
      '(st.source_ae = ANY($)' +
      ' OR EXISTS (SELECT 1 FROM study_origin o WHERE o.study_uid = st.study_uid AND o.site = ANY($))' +
      ' OR EXISTS (SELECT 1 FROM exam_request_study x WHERE x.study_uid = st.study_uid AND x.site = ANY($))' +
      ` OR ${shared.sql})`,
    params: [policy.aeTitlesOf(sites), sites, sites, ...shared.params],
  };
}

function scopeCondition(policy: AccessPolicy, scope: ExamScope, s: AccessSubject, w: GrantWindow): Condition | null {
  if (s.kind === 'peer') return scope === 'site' && s.site ? siteCondition(policy, [s.site], w) : null;
  switch (scope) {
    case 'all':
      return null;
    case 'site':
      return siteCondition(policy, s.sites, w);
    case 'pool': {
      // The exams a pool holds a task for, and every study of those patients (their priors); and those shared with the pool.
      const shared = granted(poolGrantees(s.pools), w);
      return {
        sql:
          '(st.patient_fk IN (SELECT s2.patient_fk FROM reading_task t' +
          ' JOIN exam_request_study x ON x.request_id = t.request_id JOIN study s2 ON s2.study_uid = x.study_uid' +
          " WHERE (t.state IN ('open', 'claimed') AND t.pool = ANY($)) OR t.claimed_by = $ OR t.signed_by = $)" +
          ` OR ${shared.sql})`,
        params: [s.pools, s.id, s.id, ...shared.params],
      };
    }
    case 'requested':
      return {
        sql: 'st.study_uid IN (SELECT x.study_uid FROM exam_request_study x WHERE x.rpps = ANY($) OR x.created_by = $)',
        params: [identifierValues(s, 'rpps'), s.id],
      };
    case 'shared': {
      const grantees = [...s.identifiers, ...siteGrantees(s.sites)];
      return grantees.length ? granted(grantees, w) : null;
    }
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
 * after paging. Kept beside `examInScope`, scope by scope; the access e2e suite checks both agree.
 */
export function examFilter(policy: AccessPolicy, s: AccessSubject, action: AccessAction, type: ExamResourceType = 'study', now: Date = new Date()): ExamFilter {
  const w: GrantWindow = { now, action };
  const permitting = policy.permitting(s, type, action);
  if (!permitting.length) return 'none';
  const scopes = new Set(permitting.flatMap((p) => p.policy.exams));
  if (scopes.has('all')) return 'all';
  const parts: Condition[] = [];
  for (const scope of scopes) {
    const q = scopeCondition(policy, scope, s, w);
    if (q) parts.push(q);
  }
  if (s.kind === 'user') parts.push(granted([`user:${s.id}`], w));
  if (!parts.length) return 'none';
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
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
