import { createHash } from 'node:crypto';
import { mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { readPart10 } from '@krypton/dicom-codec';
import { join } from 'node:path';
import { dcmtk } from './support/dcmtk';
import { SHARED_DATA } from './support/env';
import { ADMIN, Hub } from './support/hub';
import { waitFor } from './support/wait-for';
import { recordHistory } from './support/histories';
import { doseAlertWorkflowId } from '@krypton/workflows/dose';

jest.setTimeout(240_000);

const rdsr = (f: string) => join(SHARED_DATA, 'rdsr', f);
const PHYSICIST = { Authorization: 'Bearer e2e-physicist-token' };
const INS = '184127645108946';
const CONTINUED_STUDY = '1.3.6.1.4.1.5962.99.1.64928122.996247427.1524778350970.5.0';
const TAP_STUDY = '1.3.6.1.4.1.5962.99.1.2662687737.2058515598.1471541535737.3.0';

describe('dose registry (ingest through the gateway, history, alerts)', () => {
  const hub = new Hub({
    name: 'dose',
    redisDb: 7,
    config: {
      users: [
        { name: 'demo-admin', roles: ['admin'], tokenSha256: createHash('sha256').update('demo-admin-token').digest('hex') },
        { name: 'e2e-physicist', roles: ['physicist'], tokenSha256: createHash('sha256').update('e2e-physicist-token').digest('hex') },
      ],
      dose: {
        alerts: {
          reminderEveryHours: 48,
          // Low on purpose: the TAP-SS report (DLP 724.52 mGy·cm) crosses it.
          thresholds: [{ id: 'e2e-ct-dlp', scope: 'exam', quantity: 'dlp_mGy_cm', value: 700, source: 'e2e test value' }],
        },
      },
    },
  });

  beforeAll(async () => {
    await hub.start();
  });

  afterAll(async () => {
    await hub.stop();
  });

  const send = (ae: string, files: string[]) => {
    const r = dcmtk('storescu', [...hub.scu(ae), '-R', ...files]);
    expect(r.stderr).not.toMatch(/Store Failed|Store SCU Failed/);
    expect(r.status).toBe(0);
  };

  it('counts a continued series, a resent report and a growing series once', async () => {
    send('MODALITY1', [rdsr('CT-RDSR-Siemens-Continued-1.dcm')]);
    await waitFor('first report recorded', async () => (await hub.sql(`SELECT 1 FROM dose_report WHERE exam_fk IS NOT NULL`)).length === 1, 60_000);
    send('MODALITY1', [rdsr('CT-RDSR-Siemens-Continued-2.dcm'), rdsr('CT-RDSR-Siemens-Continued-1.dcm')]);
    const exam = await waitFor(
      'both reports in one exam',
      async () => {
        const rows = await hub.sql<{ event_count: number; dlp_total_mgy_cm: number; n: string }>(
          `SELECT e.event_count, e.dlp_total_mgy_cm, (SELECT count(*) FROM dose_report r WHERE r.exam_fk = e.id) AS n FROM dose_exam e WHERE study_uid = $1`,
          [CONTINUED_STUDY],
        );
        return rows[0]?.n === '2' ? rows[0] : null;
      },
      60_000,
    );
    expect(exam.event_count).toBe(4);
    expect(exam.dlp_total_mgy_cm).toBeCloseTo(60.17 + 56.44, 6);
    const events = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM dose_event`);
    expect(Number(events[0].n)).toBe(4);
  });

  it('gives one patient history across two sites (same INS, different local identifiers)', async () => {
    const dir = join(hub.dir, 'modified');
    mkdirSync(dir, { recursive: true });
    const siteA = join(dir, 'tap-site-a.dcm');
    const siteB = join(dir, 'tap-site-b.dcm');
    copyFileSync(rdsr('CT-RDSR-Siemens_Flash-TAP-SS.dcm'), siteA);
    copyFileSync(rdsr('CT-RDSR-Siemens_Flash-TAP-SS.dcm'), siteB);
    const ins = ['-i', `(0010,1002)[0].(0010,0020)=${INS}`, '-i', '(0010,1002)[0].(0010,0022)=INS'];
    expect(dcmtk('dcmodify', ['-nb', ...ins, siteA]).status).toBe(0);
    expect(
      dcmtk('dcmodify', [
        '-nb',
        ...ins,
        '-m',
        'PatientID=B-998877',
        '-i',
        'IssuerOfPatientID=CLINIQUE-SUD',
        '-m',
        `StudyInstanceUID=${TAP_STUDY}.2`,
        '-m',
        'SOPInstanceUID=1.3.6.1.4.1.5962.99.1.2662687737.2058515598.1471541535737.99.2',
        siteB,
      ]).status,
    ).toBe(0);
    send('MODALITY1', [siteA]);
    send('MODALITY2', [siteB]);
    const history: any = await waitFor(
      'history across two sites',
      async () => {
        const res = await hub.api(`/patients/${INS}/dose-history?windowMonths=12,600`);
        const body: any = res.status === 200 ? await res.json() : null;
        return body?.exams?.length === 2 ? body : null;
      },
      60_000,
    );
    expect(new Set(history.exams.map((e: { site: string }) => e.site))).toEqual(new Set(['chu-nord', 'clinique-sud']));
    expect(history.patients).toHaveLength(2);
    const all = history.cumulative.find((c: { windowMonths: number }) => c.windowMonths === 600);
    expect(all.byModality[0]).toMatchObject({ modality: 'CT', exams: 2 });
    const local = await hub.api(`/patients/${encodeURIComponent('CLINIQUE-SUD|B-998877')}/dose-history`);
    expect(local.status).toBe(200);
    const bad = await hub.api('/patients/not-a-key/dose-history');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as any).message).toMatch(/patientKey/);
  });

  it('opens an alert once per exam and closes it through its workflow by REST', async () => {
    const alerts: any = await waitFor(
      'two alerts (one per TAP exam)',
      async () => {
        const res = await hub.api('/dose/alerts?state=open');
        const body: any = res.status === 200 ? await res.json() : [];
        return body.length === 2 ? body : null;
      },
      60_000,
    );
    // Resending the report does not open a third alert.
    send('MODALITY1', [join(hub.dir, 'modified', 'tap-site-a.dcm')]);
    const id = alerts.find((a: { site: string }) => a.site === 'chu-nord').id;
    const wrongRole = await hub.api(`/dose/alerts/${id}/review`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ analysis: 'x', followUpRequired: true }) });
    expect(wrongRole.status).toBe(403);
    const invalid = await hub.api(`/dose/alerts/${id}/review`, { method: 'POST', headers: { ...PHYSICIST, 'Content-Type': 'application/json' }, body: JSON.stringify({ analysis: 'x' }) });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(await invalid.json())).toMatch(/followUpRequired/);
    const reviewed = await hub.api(`/dose/alerts/${id}/review`, {
      method: 'POST',
      headers: { ...PHYSICIST, 'Content-Type': 'application/json' },
      body: JSON.stringify({ analysis: 'TAP with two phases; acceptable', followUpRequired: false }),
    });
    expect(reviewed.status).toBe(200);
    expect(((await reviewed.json()) as any).state).toBe('reviewed');
    const followed = await hub.api(`/dose/alerts/${id}/follow-up`, {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'no follow-up needed', note: 'physicist review' }),
    });
    expect(followed.status).toBe(200);
    const closed: any = await waitFor(
      'alert closed in the mirror',
      async () => {
        const res = await hub.api(`/dose/alerts/${id}`);
        const body: any = await res.json();
        return body.state === 'closed' ? body : null;
      },
      30_000,
    );
    expect(closed.audit.map((a: { action: string }) => a.action)).toEqual(['opened', 'reviewed', 'followed-up', 'closed']);
    await recordHistory(doseAlertWorkflowId(id), 'dose-alert-reviewed-and-closed', hub.namespace);
    expect(closed.review.by).toBe('e2e-physicist');
    const count = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM dose_alert');
    expect(Number(count[0].n)).toBe(2);
  });

  it('analyses practice per device and protocol (JSON and CSV) and lists exams without dose data', async () => {
    const nmFile = join(SHARED_DATA, 'images/NM-NmIm-Siemens.dcm');
    const nmStudy = readPart10(readFileSync(nmFile), { untilPixelData: true }).dataset.StudyInstanceUID;
    send('MODALITY2', [nmFile]);
    await waitFor('NM study indexed', async () => (await hub.sql('SELECT 1 FROM study WHERE study_uid = $1', [nmStudy])).length === 1);

    const ex: any = await (await hub.api('/dose/exhaustiveness?delayHours=0', { headers: PHYSICIST })).json();
    const missing = ex.missing.find((m: any) => m.studyUid === nmStudy);
    expect(missing).toMatchObject({ modality: 'NM', site: 'clinique-sud' });
    expect(ex.missing.map((m: any) => m.studyUid)).not.toContain(TAP_STUDY);

    const res = await hub.api('/dose/statistics?modality=CT', { headers: PHYSICIST });
    expect(res.status).toBe(200);
    const stats: any[] = (await res.json()) as any[];
    // Every CT irradiation event is counted once, in exactly one device x protocol row, and each
    // row's median and 75th percentile lie within the events' range.
    const [ct] = await hub.sql<{ n: number; lo: number; hi: number }>(`SELECT count(*)::int AS n, min(dlp_mgy_cm) AS lo, max(dlp_mgy_cm) AS hi FROM dose_event WHERE dose_modality = 'CT'`);
    expect(stats.reduce((n, r) => n + r.events, 0)).toBe(ct.n);
    const withDlp = stats.filter((r) => r.dlp_mGy_cm.median !== null);
    expect(withDlp.length).toBeGreaterThan(0);
    for (const r of withDlp) {
      expect(r.dlp_mGy_cm.median).toBeGreaterThanOrEqual(ct.lo);
      expect(r.dlp_mGy_cm.p75).toBeGreaterThanOrEqual(r.dlp_mGy_cm.median);
      expect(r.dlp_mGy_cm.p75).toBeLessThanOrEqual(ct.hi);
      // The box plot's five numbers are ordered and within the events' range.
      const { min, p25, median, p75, max } = r.dlp_mGy_cm;
      expect([min, p25, median, p75, max]).toEqual([min, p25, median, p75, max].slice().sort((a: number, b: number) => a - b));
      expect(min).toBeGreaterThanOrEqual(ct.lo);
      expect(max).toBeLessThanOrEqual(ct.hi);
      expect(r.patients).toBeGreaterThanOrEqual(1);
    }

    const csv = await hub.api('/dose/statistics?modality=CT&format=csv', { headers: PHYSICIST });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.length).toBe(stats.length + 1);

    const trend = await hub.api('/dose/statistics/trend', { headers: PHYSICIST });
    expect(trend.status).toBe(400);
    expect(JSON.stringify(await trend.json())).toMatch(/device is required/);
    expect((await hub.api('/dose/image-quality', { headers: PHYSICIST })).status).toBe(200);
  });
});
