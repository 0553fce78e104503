/**
 * The search filter (examFilter, SQL) and the decision (decide over ExamFactsStore's facts) are
 * two writings of one rule (issue #10): for every subject and action below, the studies the SQL
 * lets through are exactly those `decide` allows, one by one, on the real PostgreSQL schema.
 * The catalogue holds one study per case the scopes distinguish: a site by source AE, by upload
 * origin, by a request's site; a pool's task and the priors of its patient; a task claimed or
 * signed (that exam only); requested by RPPS or by creator; shares (view, download, expired,
 * revoked, silenced by the patient's opposition), a share with a site or a pool, break-the-glass; a report
 * released to the patient's INS.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessPolicy, AccessSubject, bindCondition, decide, examFilter, ExamFactsStore } from '@krypton/access';
import { AccessAction, accessConfigSchema } from '@krypton/config';
import { dataSourceOptions, migrate } from '@krypton/database';
import { testDatabaseUrl } from './support/env';
import { resetDatabase } from './support/hub';

jest.setTimeout(120_000);
const DB = testDatabaseUrl('access_filter');

const policy = new AccessPolicy(accessConfigSchema.parse({}), [
  { aeTitle: 'MOD_A', site: 'site-a' },
  { aeTitle: 'MOD_B', site: 'site-b' },
]);
const NOW = new Date();
const HOUR = 3600_000;
const uid = (n: number) => `1.2.826.0.1.3680043.10.777.${n}`;

const SUBJECTS: Record<string, AccessSubject> = {
  'radiologist (site-a, pool tele)': { kind: 'user', id: 'rad-1', roles: ['radiologist'], sites: ['site-a'], pools: ['tele'], identifiers: [] },
  'radiologist (site-c, no pool)': { kind: 'user', id: 'rad-2', roles: ['radiologist'], sites: ['site-c'], pools: [], identifiers: [] },
  'coordinator (site-a)': { kind: 'user', id: 'coord-1', roles: ['coordinator'], sites: ['site-a'], pools: [], identifiers: [] },
  'physicist (site-b)': { kind: 'user', id: 'phys-1', roles: ['physicist'], sites: ['site-b'], pools: [], identifiers: [] },
  'referrer (RPPS R1)': { kind: 'user', id: 'ref-1', roles: ['referrer'], sites: [], pools: [], identifiers: ['rpps:10000000001'] },
  'referrer (site-a)': { kind: 'user', id: 'ref-2', roles: ['referrer'], sites: ['site-a'], pools: [], identifiers: ['rpps:10000000002'] },
  'patient (INS A)': { kind: 'user', id: 'pat-a', roles: ['patient'], sites: [], pools: [], identifiers: ['ins:100000000000001'] },
  'patient (INS C, opposed)': { kind: 'user', id: 'pat-c', roles: ['patient'], sites: [], pools: [], identifiers: ['ins:100000000000003'] },
  researcher: { kind: 'user', id: 'res-1', roles: ['researcher'], sites: [], pools: [], identifiers: [] },
  admin: { kind: 'user', id: 'adm-1', roles: ['admin'], sites: [], pools: [], identifiers: [] },
  'modality MOD_A (site-a)': { kind: 'peer', aeTitle: 'MOD_A', site: 'site-a', aeKind: 'modality' },
  'PACS (site-b)': { kind: 'peer', aeTitle: 'PACS_B', site: 'site-b', aeKind: 'pacs' },
};
const ACTIONS: AccessAction[] = ['search', 'read-metadata', 'read-pixels', 'download', 'send', 'write'];

describe('Search filter = decision (e2e, PostgreSQL)', () => {
  let ds: DataSource;
  let facts: ExamFactsStore;
  const sql = (text: string, values: unknown[] = []) => ds.query(text, values);

  beforeAll(async () => {
    await resetDatabase(DB);
    await migrate(DB);
    ds = new DataSource(dataSourceOptions(DB));
    await ds.initialize();
    facts = new ExamFactsStore(ds);
    // Patients: A (INS), B (INS), C (INS, opposed to sharing), D (no INS).
    await sql(`INSERT INTO patient (id, patient_id, issuer, name, ins) VALUES
      (1, 'PA', 'E2E', 'A^A', '100000000000001'), (2, 'PB', 'E2E', 'B^B', '100000000000002'),
      (3, 'PC', 'E2E', 'C^C', '100000000000003'), (4, 'PD', 'E2E', 'D^D', NULL)`);
    const study = (n: number, patient: number, ae: string | null) =>
      sql(`INSERT INTO study (study_uid, patient_fk, study_date, source_ae, stable_at) VALUES ($1, $2, $3, $4, now())`, [uid(n), patient, `2026010${n % 10}`, ae]);
    const request = async (r: { study?: number; acquired?: number; site?: string; rpps?: string; createdBy?: string; ins?: string }) => {
      const id = randomUUID();
      await sql(
        `INSERT INTO exam_request (id, source, patient, patient_family_name, patient_ins, referrer, procedure_code, procedure_unmapped, priority, state, workflow_id,
                                   study_instance_uid, acquired_study_uid, target_site, created_by)
         VALUES ($1, 'rest', '{}', 'E2E', $2, $3, 'ZBQK002', false, 'routine', 'reading', $4, $5, $6, $7, $8)`,
        [id, r.ins ?? null, r.rpps ? { rpps: r.rpps } : {}, `e2e-${id}`, r.study ? uid(r.study) : null, r.acquired ? uid(r.acquired) : null, r.site ?? null, r.createdBy ?? null],
      );
      return id;
    };
    const task = (requestId: string, pool: string, state: string, who: { claimedBy?: string; signedBy?: string } = {}) =>
      sql(
        `INSERT INTO reading_task (request_id, pool, priority, state, claimed_by, signed_by, opened_at, warn_at, due_at) VALUES ($1, $2, 'routine', $3, $4, $5, now(), now(), now() + interval '1 day')`,
        [requestId, pool, state, who.claimedBy ?? null, who.signedBy ?? null],
      );
    const grant = (n: number, grantee: string, kind: string, g: { expires?: Date; rights?: string; revoked?: boolean } = {}) =>
      sql(`INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by, expires_at, rights, revoked_at) VALUES ($1, $2, $3, $4, 'e2e', 'e2e', $5, $6, $7)`, [
        randomUUID(),
        uid(n),
        grantee,
        kind,
        g.expires ?? null,
        g.rights ?? null,
        g.revoked ? new Date() : null,
      ]);

    await study(1, 1, 'MOD_A'); // site-a by its source AE
    await study(2, 1, 'MOD_B'); // site-b; patient A's other exam
    await study(3, 2, null); // uploaded (STOW) from site-a
    await sql(`INSERT INTO study_origin (study_uid, site) VALUES ($1, 'site-a')`, [uid(3)]);
    await study(4, 2, 'MOD_B'); // requested for site-a (the request names it in advance)
    await request({ study: 4, site: 'site-a' });
    await study(5, 4, 'MOD_B'); // in pool tele, open: patient D's exams (5, 6) all visible to the pool
    await task(await request({ acquired: 5, site: 'site-b' }), 'tele', 'open');
    await study(6, 4, 'MOD_B');
    await study(7, 2, 'MOD_B'); // signed by rad-1 in another pool: this exam only
    await task(await request({ acquired: 7, site: 'site-b' }), 'other', 'signed', { claimedBy: 'rad-1', signedBy: 'rad-1' });
    await study(8, 2, 'MOD_B'); // in pool tele but signed: no longer opens the patient
    await task(await request({ acquired: 8, site: 'site-b' }), 'tele', 'signed', { claimedBy: 'rad-9', signedBy: 'rad-9' });
    await study(9, 1, 'MOD_B'); // requested by RPPS R1 (the exam's own request), created by someone else
    await request({ acquired: 9, site: 'site-b', rpps: '10000000001', createdBy: 'someone' });
    await study(10, 2, 'MOD_B'); // submitted by ref-1 without an RPPS
    await request({ study: 10, site: 'site-b', createdBy: 'ref-1' });
    await study(11, 2, 'MOD_B'); // shared with RPPS R1 for viewing
    await grant(11, 'rpps:10000000001', 'share', { rights: 'view' });
    await study(12, 2, 'MOD_B'); // shared with RPPS R1 with download, but expired; with site-a for viewing
    await grant(12, 'rpps:10000000001', 'share', { rights: 'download', expires: new Date(NOW.getTime() - HOUR) });
    await grant(12, 'site:site-a', 'share', { rights: 'view', expires: new Date(NOW.getTime() + HOUR) });
    await study(13, 2, 'MOD_B'); // revoked share with R1; break-the-glass by rad-2 in force
    await grant(13, 'rpps:10000000001', 'share', { rights: 'download', revoked: true });
    await grant(13, 'user:rad-2', 'emergency', { expires: new Date(NOW.getTime() + HOUR) });
    await study(14, 3, 'MOD_B'); // patient C opposed to sharing: the share with R1 is silenced
    await grant(14, 'rpps:10000000001', 'share', { rights: 'download' });
    await sql(`INSERT INTO patient_opposition (patient_key, opposed, updated_by) VALUES ('ins:100000000000003', true, 'e2e')`);
    await study(15, 1, 'MOD_B'); // released to patient A (report signed), through the pathway's grant
    const released = await request({ acquired: 15, site: 'site-b', ins: '100000000000001' });
    await sql(`INSERT INTO exam_access_grant (request_id, grantee, reason) VALUES ($1, 'ins:100000000000001', 'report signed')`, [released]);
    await study(16, 1, 'MOD_B'); // released to patient A as an access grant; expired emergency for rad-1
    await grant(16, 'ins:100000000000001', 'released');
    await grant(16, 'user:rad-1', 'emergency', { expires: new Date(NOW.getTime() - HOUR) });
    await study(17, 3, 'MOD_B'); // patient C's released exam (opposition does not silence a release)
    await grant(17, 'ins:100000000000003', 'released');
    await study(18, 4, 'MOD_A'); // site-a, patient D's newest exam: claimed in pool tele (still open to the pool)
    await task(await request({ acquired: 18, site: 'site-a' }), 'tele', 'claimed', { claimedBy: 'rad-3' });
    await study(19, 2, 'MOD_B'); // shared with pool tele by a routing protocol, for viewing
    await grant(19, 'pool:tele', 'share', { rights: 'view' });
    await sql('ANALYZE');
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const allStudies = async () => (await sql(`SELECT study_uid FROM study ORDER BY id`)).map((r: { study_uid: string }) => r.study_uid) as string[];

  async function bySql(s: AccessSubject, action: AccessAction): Promise<string[]> {
    const f = examFilter(policy, s, action, 'study', NOW);
    if (f === 'none') return [];
    if (f === 'all') return allStudies();
    const values: unknown[] = [];
    const where = bindCondition(f, values);
    return (await sql(`SELECT st.study_uid FROM study st WHERE ${where} ORDER BY st.id`, values)).map((r: { study_uid: string }) => r.study_uid);
  }

  async function byDecide(s: AccessSubject, action: AccessAction): Promise<string[]> {
    const out: string[] = [];
    for (const studyUid of await allStudies()) {
      const f = await facts.exam(policy, { studyUid });
      if (f && decide(policy, s, action, { type: 'study', exam: f }, NOW).allowed) out.push(studyUid);
    }
    return out;
  }

  const n = (uids: string[]) => uids.map((u) => Number(u.split('.').pop()));

  for (const [name, subject] of Object.entries(SUBJECTS)) {
    it(`${name}: the SQL filter lets through exactly what decide allows, for every action`, async () => {
      for (const action of ACTIONS) {
        const [viaSql, viaDecide] = await Promise.all([bySql(subject, action), byDecide(subject, action)]);
        expect({ action, studies: n(viaSql) }).toEqual({ action, studies: n(viaDecide) });
      }
    });
  }

  // The comparison holds for trivial answers too: these pin the cases the fixture is built for.
  it('the cases are the ones meant: a pool opens its patients, a signed task its exam only, shares by rights and time', async () => {
    expect(n(await bySql(SUBJECTS['radiologist (site-a, pool tele)'], 'search'))).toEqual([1, 3, 4, 5, 6, 7, 12, 18, 19]);
    expect(n(await bySql(SUBJECTS['radiologist (site-a, pool tele)'], 'download'))).toEqual([1, 3, 4, 5, 6, 7, 18]);
    expect(n(await bySql(SUBJECTS['radiologist (site-c, no pool)'], 'read-pixels'))).toEqual([13]);
    expect(n(await bySql(SUBJECTS['referrer (RPPS R1)'], 'search'))).toEqual([9, 10, 11]);
    expect(n(await bySql(SUBJECTS['referrer (RPPS R1)'], 'download'))).toEqual([9, 10]);
    expect(n(await bySql(SUBJECTS['referrer (site-a)'], 'read-metadata'))).toEqual([12]);
    expect(n(await bySql(SUBJECTS['patient (INS A)'], 'search'))).toEqual([15, 16]);
    expect(n(await bySql(SUBJECTS['patient (INS C, opposed)'], 'search'))).toEqual([17]);
    expect(n(await bySql(SUBJECTS['modality MOD_A (site-a)'], 'search'))).toEqual([1, 3, 4, 12, 18]);
  });
});
