import { accessConfigSchema } from '@krypton/config';
import { AccessPolicy } from './access-policy';
import { decide } from './decide';
import { AccessGrant, ExamFacts, NO_FACTS } from './exam-facts';
import { examFilter } from './exam-filter';
import { UserSubject } from './subject';

const policy = new AccessPolicy(accessConfigSchema.parse({}), [{ aeTitle: 'MODALITY1', site: 'chu-nord' }]);
const NOW = new Date('2026-12-05T12:00:00Z');
const user = (roles: string[], extra: Partial<UserSubject> = {}): UserSubject => ({ kind: 'user', id: 'u', roles, sites: [], pools: [], identifiers: [], ...extra });
const grant = (g: Partial<AccessGrant>): AccessGrant => ({ grantee: 'rpps:10000000002', kind: 'share', reason: 'shared', expiresAt: null, rights: 'view', ...g });
const study = (grants: AccessGrant[], f: Partial<ExamFacts> = {}) => ({ type: 'study' as const, exam: { ...NO_FACTS, studyUid: '1.2.3', sites: ['clinique-sud'], grants, ...f } });

describe('share grants in the decision (issue #11)', () => {
  const ref = user(['referrer'], { identifiers: ['rpps:10000000002'] });

  it('view rights open metadata and pixels, not download; download rights open download too', () => {
    expect(decide(policy, ref, 'read-pixels', study([grant({})]), NOW)).toEqual({ allowed: true, reason: 'referrer:shared' });
    expect(decide(policy, ref, 'download', study([grant({})]), NOW).allowed).toBe(false);
    expect(decide(policy, ref, 'download', study([grant({ rights: 'download' })]), NOW).allowed).toBe(true);
    // A share never widens the role: a referrer does not send, whatever was shared.
    expect(decide(policy, ref, 'send', study([grant({ rights: 'download' })]), NOW).allowed).toBe(false);
  });

  it('an expired share opens nothing', () => {
    expect(decide(policy, ref, 'read-metadata', study([grant({ expiresAt: new Date(NOW.getTime() - 1) })]), NOW).allowed).toBe(false);
    expect(decide(policy, ref, 'read-metadata', study([grant({ expiresAt: new Date(NOW.getTime() + 1) })]), NOW).allowed).toBe(true);
  });

  it("a share with a site is one of the site's exams for site-scoped roles, and reaches a referrer of that site", () => {
    const coordinator = user(['coordinator'], { sites: ['chu-nord'] });
    const siteShare = [grant({ grantee: 'site:chu-nord', rights: 'view' })];
    expect(decide(policy, coordinator, 'read-pixels', study(siteShare), NOW)).toEqual({ allowed: true, reason: 'coordinator:site' });
    expect(decide(policy, coordinator, 'download', study(siteShare), NOW).allowed).toBe(false);
    expect(decide(policy, user(['referrer'], { sites: ['chu-nord'] }), 'read-metadata', study(siteShare), NOW).reason).toBe('referrer:shared');
    expect(decide(policy, user(['coordinator'], { sites: ['clinique-nord'] }), 'read-pixels', study(siteShare, { sites: ['x'] }), NOW).allowed).toBe(false);
    expect(decide(policy, { kind: 'peer', aeTitle: 'WS', site: 'chu-nord', aeKind: 'workstation' }, 'read-pixels', study(siteShare), NOW).allowed).toBe(true);
  });

  it("a protocol's share with a reading pool is one of the pool's exams, for what it allows, in the decision and the SQL filter", () => {
    const reader = user(['radiologist'], { pools: ['regional-teleradiology'] });
    const poolShare = [grant({ grantee: 'pool:regional-teleradiology', rights: 'view' })];
    expect(decide(policy, reader, 'read-pixels', study(poolShare), NOW)).toEqual({ allowed: true, reason: 'radiologist:pool' });
    expect(decide(policy, reader, 'download', study(poolShare), NOW).allowed).toBe(false);
    expect(decide(policy, user(['radiologist'], { pools: ['chu-nord-radiologists'] }), 'read-pixels', study(poolShare), NOW).allowed).toBe(false);
    const f = examFilter(policy, reader, 'read-pixels', 'study', NOW);
    if (f === 'all' || f === 'none') throw new Error(`unexpected ${f}`);
    // Among the grantees of the filter's one grant clause.
    expect(f.params.some((p) => Array.isArray(p) && p.includes('pool:regional-teleradiology'))).toBe(true);
  });

  it("a patient link's session reads its one exam, never downloads it, and nothing else", () => {
    const link = user(['patient-link'], { id: 'link:1', identifiers: ['link:1'] });
    const linked = [grant({ grantee: 'link:1', kind: 'link' })];
    expect(decide(policy, link, 'read-pixels', study(linked), NOW)).toEqual({ allowed: true, reason: 'patient-link:shared' });
    expect(decide(policy, link, 'download', study(linked), NOW).allowed).toBe(false);
    expect(decide(policy, link, 'read-pixels', study([grant({ grantee: 'link:2', kind: 'link' })]), NOW).allowed).toBe(false);
    expect(decide(policy, link, 'search', { type: 'sharing' }, NOW).allowed).toBe(false);
  });

  it('the SQL filter carries the same clock and rights as the decision', () => {
    const f = examFilter(policy, ref, 'download', 'study', NOW);
    if (f === 'all' || f === 'none') throw new Error(`unexpected ${f}`);
    expect(f.sql).toContain('g.expires_at > $');
    expect(f.params).toContainEqual(NOW);
    expect(f.params).toContainEqual(['download']);
    const view = examFilter(policy, ref, 'read-pixels', 'study', NOW);
    if (view === 'all' || view === 'none') throw new Error(`unexpected ${view}`);
    expect(view.params).toContainEqual(['view', 'download']);
  });
});
