import { accessConfigSchema } from '@krypton/config';
import { AccessPolicy } from './access-policy';
import { decide, permits } from './decide';
import { ExamFacts, NO_FACTS } from './exam-facts';
import { examFilter, requestFilter } from './exam-filter';
import { PeerSubject, UserSubject } from './subject';

const policy = new AccessPolicy(accessConfigSchema.parse({}), [
  { aeTitle: 'MODALITY1', site: 'chu-nord' },
  { aeTitle: 'MODALITY2', site: 'clinique-sud' },
]);
const NOW = new Date('2026-12-04T12:00:00Z');
const user = (roles: string[], extra: Partial<UserSubject> = {}): UserSubject => ({ kind: 'user', id: 'u', roles, sites: [], pools: [], identifiers: [], ...extra });
const exam = (f: Partial<ExamFacts>): ExamFacts => ({ ...NO_FACTS, studyUid: '1.2.3', patientIns: '180017512345678', ...f });
const study = (f: Partial<ExamFacts>) => ({ type: 'study' as const, exam: exam(f) });

describe('decide', () => {
  it('admin reads everything', () => {
    expect(decide(policy, user(['admin']), 'read-pixels', study({}), NOW)).toEqual({ allowed: true, reason: 'admin:all' });
  });

  it('an auditor reads the trail and no exam', () => {
    expect(decide(policy, user(['auditor']), 'read-metadata', study({}), NOW).allowed).toBe(false);
    expect(decide(policy, user(['auditor']), 'search', { type: 'audit', patientIns: [] }, NOW).allowed).toBe(true);
  });

  it('a radiologist sees the exams of their sites, not another site', () => {
    const r = user(['radiologist'], { sites: ['chu-nord'] });
    expect(decide(policy, r, 'read-pixels', study({ sites: ['chu-nord'] }), NOW)).toEqual({ allowed: true, reason: 'radiologist:site' });
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'] }), NOW).allowed).toBe(false);
  });

  it('a radiologist sees what their pool holds a task for, and the priors of that patient', () => {
    const r = user(['radiologist'], { sites: ['chu-nord'], pools: ['tele'] });
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'], taskPools: ['tele'] }), NOW).reason).toBe('radiologist:pool');
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'], priorPools: ['tele'] }), NOW).allowed).toBe(true);
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'], taskPools: ['other'] }), NOW).allowed).toBe(false);
  });

  it('a referrer sees what they requested (RPPS) or what was shared with them', () => {
    const ref = user(['referrer'], { identifiers: ['rpps:10000000001'] });
    expect(decide(policy, ref, 'read-metadata', study({ requesterRpps: ['10000000001'] }), NOW).reason).toBe('referrer:requested');
    expect(decide(policy, ref, 'read-metadata', study({ grants: [{ grantee: 'rpps:10000000001', kind: 'exam', reason: 'referrer', expiresAt: null }] }), NOW).reason).toBe('referrer:shared');
    expect(decide(policy, ref, 'read-metadata', study({ requesterRpps: ['999'] }), NOW).allowed).toBe(false);
    expect(decide(policy, ref, 'send', study({ requesterRpps: ['10000000001'] }), NOW).allowed).toBe(false);
  });

  it('a patient sees their own exams only once released, and never sends them', () => {
    const pat = user(['patient'], { identifiers: ['ins:180017512345678'] });
    const released = { grantee: 'ins:180017512345678', kind: 'exam', reason: 'patient', expiresAt: null };
    expect(decide(policy, pat, 'download', study({}), NOW).allowed).toBe(false);
    expect(decide(policy, pat, 'download', study({ grants: [released] }), NOW).reason).toBe('patient:own');
    expect(decide(policy, pat, 'download', study({ patientIns: '299999999999999', grants: [released] }), NOW).allowed).toBe(false);
    expect(decide(policy, pat, 'send', study({ grants: [released] }), NOW).allowed).toBe(false);
  });

  it('a researcher sees nothing identified', () => {
    expect(decide(policy, user(['researcher']), 'search', study({}), NOW).allowed).toBe(false);
    expect(permits(policy, user(['researcher']), 'dose-record', 'read-metadata')).toBe(false);
  });

  it('break-the-glass grants open an exam until they expire, within what the role may do', () => {
    const r = user(['radiologist'], { sites: ['chu-nord'] });
    const g = (ms: number) => ({ grantee: 'user:u', kind: 'emergency', reason: 'stroke', expiresAt: new Date(NOW.getTime() + ms) });
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'], grants: [g(60_000)] }), NOW).reason).toBe('grant:emergency');
    expect(decide(policy, r, 'read-pixels', study({ sites: ['clinique-sud'], grants: [g(-1)] }), NOW).allowed).toBe(false);
    expect(decide(policy, user(['researcher']), 'read-pixels', study({ grants: [g(60_000)] }), NOW).allowed).toBe(false);
  });

  it('physicists read every dose record of their sites; patients their own', () => {
    const phys = user(['physicist'], { sites: ['chu-nord'] });
    const dose = (sites: string[], ins: string | null = null) => ({ type: 'dose-record' as const, patient: { patientIns: ins, patientKey: 'X|1', sites, studyUids: [] }, reachableExam: false });
    expect(decide(policy, phys, 'read-metadata', dose(['chu-nord']), NOW).reason).toBe('physicist:dose-site');
    expect(decide(policy, phys, 'read-metadata', dose(['clinique-sud']), NOW).allowed).toBe(false);
    const pat = user(['patient'], { identifiers: ['ins:180017512345678'] });
    expect(decide(policy, pat, 'read-metadata', dose([], '180017512345678'), NOW).allowed).toBe(true);
    expect(decide(policy, pat, 'read-metadata', dose([], '299999999999999'), NOW).allowed).toBe(false);
  });

  it('a patient reads the audit records about themselves only', () => {
    const pat = user(['patient'], { identifiers: ['ins:180017512345678'] });
    expect(decide(policy, pat, 'search', { type: 'audit', patientIns: ['180017512345678'] }, NOW).allowed).toBe(true);
    expect(decide(policy, pat, 'search', { type: 'audit', patientIns: ['299999999999999'] }, NOW).allowed).toBe(false);
    expect(decide(policy, pat, 'search', { type: 'audit', patientIns: [] }, NOW).allowed).toBe(false);
  });

  it('a DICOM peer sees the exams of its AE site, by kind', () => {
    const pacs: PeerSubject = { kind: 'peer', aeTitle: 'PACS', site: 'chu-nord', aeKind: 'pacs' };
    expect(decide(policy, pacs, 'download', study({ sites: ['chu-nord'] }), NOW).reason).toBe('peer:pacs:site');
    expect(decide(policy, pacs, 'download', study({ sites: ['clinique-sud'] }), NOW).allowed).toBe(false);
    expect(permits(policy, pacs, 'worklist', 'search')).toBe(false);
    expect(permits(policy, { ...pacs, aeKind: 'modality' }, 'worklist', 'search')).toBe(true);
  });

  it('role defaults are overridden per role from the YAML, key by key', () => {
    const p = new AccessPolicy(accessConfigSchema.parse({ roles: { physicist: { emergency: false, exams: [] } } }));
    expect(p.mayBreakGlass(user(['physicist']))).toBe(false);
    expect(p.roles.get('physicist')!.dose).toEqual(['site']);
    expect(() => accessConfigSchema.parse({ roles: { physicist: { exams: ['everything'] } } })).toThrow();
    expect(() => accessConfigSchema.parse({ roles: { wizard: {} } })).toThrow();
  });
});

describe('examFilter', () => {
  it('is "all" for admin and "none" for an auditor or a researcher', () => {
    expect(examFilter(policy, user(['admin']), 'search')).toBe('all');
    expect(examFilter(policy, user(['auditor']), 'search')).toBe('none');
    expect(examFilter(policy, user(['researcher']), 'search')).toBe('none');
  });

  it("turns a one-site radiologist into conditions on the study row: its source AE first, no union of the site's study UIDs", () => {
    const f = examFilter(policy, user(['radiologist'], { sites: ['chu-nord'], pools: ['tele'] }), 'search');
    if (typeof f === 'string') throw new Error('expected a condition');
    expect(f.sql.startsWith('((st.source_ae = ANY($) OR EXISTS (')).toBe(true);
    expect(f.sql).not.toMatch(/UNION/);
    expect((f.sql.match(/\$/g) ?? []).length).toBe(f.params.length);
    expect(f.params).toContainEqual(['MODALITY1']);
    // Every grant the scopes honour in one clause: the site's and the pool's shares and the user's own grants.
    expect(f.params).toContainEqual(['site:chu-nord', 'pool:tele', 'user:u']);
    expect(f.sql.match(/study_grant/g)).toHaveLength(1);
    expect(f.sql).not.toMatch(/exam_request_study/);
  });

  it('scopes a patient to their INS, released', () => {
    const f = examFilter(policy, user(['patient'], { identifiers: ['ins:180017512345678'] }), 'search');
    if (typeof f === 'string') throw new Error('expected a condition');
    expect(f.params).toContainEqual(['180017512345678']);
    expect(f.params).toContainEqual(['ins:180017512345678']);
    // Led by the studies granted to the patient, which PostgreSQL joins on instead of walking every study.
    expect(f.sql.startsWith('(st.study_uid IN (SELECT g0.study_uid FROM study_grant g0 WHERE g0.grantee = ANY($)) AND ')).toBe(true);
    expect(f.params[0]).toEqual(['user:u', 'ins:180017512345678']);
  });

  it('request lists: a referrer by RPPS and creator; placeholders match parameters', () => {
    const f = requestFilter(policy, user(['referrer'], { identifiers: ['rpps:1'] }), 'search');
    if (typeof f === 'string') throw new Error('expected a condition');
    expect((f.sql.match(/\$/g) ?? []).length).toBe(f.params.length);
    expect(requestFilter(policy, user(['patient']), 'search')).toBe('none');
  });
});
