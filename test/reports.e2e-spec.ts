import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import { CatalogModule } from '@krypton/catalog';
import { DatabaseModule } from '@krypton/database';
import { ConfigModule } from '@krypton/config';
import { QueueModule } from '@krypton/queue';
import { ReportInputError, ReportRequestNotFoundError, ReportService, ReportsModule, type SignReportInput } from '@krypton/reports';
import { StorageModule } from '@krypton/storage';
import { readMultipart } from '../apps/api/src/dicomweb/multipart-related';
import { dcmtk, startStorescp } from './support/dcmtk';
import { Hub } from './support/hub';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

jest.setTimeout(180_000);

const COORDINATOR = { Authorization: 'Bearer demo-coordinator-token' };
const REFERRER = { Authorization: 'Bearer demo-referrer-token' };
const JSON_BODY = { 'content-type': 'application/json' };
const DICOM_JSON = { Accept: 'application/dicom+json' };

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

const patient = { ins: '279035121518989', identifiers: [{ value: 'IPP-77', issuer: '000000001' }], familyName: 'ÉLÉONORE', givenName: 'Hélène Éléonore', birthDate: '19790312', sex: 'F' as const };
const referrer = { rpps: '10000000000', name: 'Dr Jeanne MARTIN', organisation: 'Clinique du Sud' };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

async function multipartParts(res: Response): Promise<Buffer[]> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(res.headers.get('content-type') ?? '')?.[2];
  if (!boundary) throw new Error(`not multipart: ${res.headers.get('content-type')}`);
  const buf = Buffer.from(await res.arrayBuffer());
  const out: Buffer[] = [];
  for await (const p of readMultipart(
    (async function* () {
      yield buf;
    })(),
    boundary,
    { maxTotalBytes: 1e9, maxPartBytes: 1e9 },
  ))
    out.push(p.body);
  return out;
}

/**
 * The signed report on the real hub: ReportService runs in this process, wired like the worker
 * will wire it (ReportsModule over the suite's database, Redis and storage), and its DICOM copy
 * goes through IngestService to the hub's storage and index queue, so the hub's own worker files
 * it and the hub's api serves it.
 */
describe('signed reports (PDF, DICOM Encapsulated PDF through the ingest path, DICOMweb)', () => {
  let hub: Hub;
  let ctx: TestingModule;
  let reports: ReportService;
  let request: { id: string; accessionNumber: string; studyInstanceUid: string };
  let workstationPort = 0;
  const savedEnv = { ...process.env };
  const tmp = mkdtempSync(join(tmpdir(), 'krypton-reports-e2e-'));

  const input = (over: Partial<SignReportInput> = {}): SignReportInput => ({
    requestId: request.id,
    idemKey: `pathway-${request.id}:run-1:sign-report-1`,
    radiologist: { name: 'Dr Paul DURAND', id: '10000000001' },
    signedAt: '2026-12-01T10:15:00+01:00',
    findings: 'Pas d’opacité parenchymateuse.\nCul-de-sac pleuraux libres.',
    conclusion: 'Radiographie thoracique normale.',
    technique: 'Incidence de face, debout.',
    clinicalInformation: 'Toux fébrile depuis 5 jours',
    exam: {
      accessionNumber: request.accessionNumber,
      studyInstanceUid: request.studyInstanceUid,
      procedureCode: 'ZBQK002',
      procedureLabel: 'Radiographie du thorax',
      examDate: '20261201',
      site: { name: 'CHU Nord (demo)', finess: '000000001' },
    },
    patient,
    referrer,
    ...over,
  });

  async function qido(path: string): Promise<DicomJson[]> {
    const res = await hub.api(`/dicomweb${path}`, { headers: DICOM_JSON });
    if (res.status === 204) return [];
    expect(res.status).toBe(200);
    return (await res.json()) as DicomJson[];
  }

  async function reportInstances(seriesUid: string): Promise<string[]> {
    const rows = await qido(`/studies/${request.studyInstanceUid}/series/${seriesUid}/instances`).catch(() => []);
    return rows.map((r) => r['00080018'].Value?.[0] as string).sort();
  }

  beforeAll(async () => {
    workstationPort = await freePort();
    hub = new Hub({ name: 'reports', redisDb: 10, aes: [{ aeTitle: 'REPORTWS', site: 'chu-nord', host: '127.0.0.1', port: workstationPort, kind: 'workstation' }] });
    await hub.start();
    const created = await hub.api('/requests', {
      method: 'POST',
      headers: { ...JSON_BODY, ...REFERRER },
      body: JSON.stringify({ placerOrderNumber: 'CR-1', patient, referrer, procedureCode: 'ZBQK002', priority: 'routine', clinicalInformation: 'Toux fébrile depuis 5 jours', targetSite: 'chu-nord' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const scheduled = await hub.api(`/requests/${id}/schedule`, {
      method: 'POST',
      headers: { ...JSON_BODY, ...COORDINATOR },
      body: JSON.stringify({ site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' }),
    });
    expect(scheduled.status).toBe(200);
    request = (await (await hub.api(`/requests/${id}`)).json()) as typeof request;
    expect(request.studyInstanceUid).toMatch(/^2\.25\./);

    // ConfigModule reads the environment when the context is built: the hub's own settings.
    Object.assign(process.env, { KRYPTON_CONFIG: hub.configFile, DATABASE_URL: hub.dbUrl, REDIS_URL: hub.redisUrl, STORAGE_ROOT: hub.storageRoot, LOG_LEVEL: 'warn' });
    ctx = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, CatalogModule, StorageModule, QueueModule, ReportsModule] }).compile();
    await ctx.init();
    reports = ctx.get(ReportService);
  });

  afterAll(async () => {
    await ctx?.close();
    await hub?.stop();
    process.env = savedEnv;
  });

  it('signs: the report row, and its DICOM copy filed in the study (QIDO-RS), served by WADO-RS, from which dcm2pdf gives back the PDF', async () => {
    const signed = await reports.signReport(input());
    expect(signed).toMatchObject({ version: 1, created: true, studyInstanceUid: request.studyInstanceUid, sopInstanceUid: expect.stringMatching(/^2\.25\.\d+$/) });
    expect(signed.renderedText).toContain('Nom : ÉLÉONORE Hélène Éléonore');
    expect(signed.renderedText).toContain(`N° d’examen : ${request.accessionNumber}`);

    const series = await waitFor('the report series in QIDO-RS', async () => {
      const all = await qido(`/studies/${request.studyInstanceUid}/series`);
      return all.find((s) => s['0020000E'].Value?.[0] === signed.seriesInstanceUid);
    });
    expect(series['00080060'].Value).toEqual(['DOC']);
    expect(series['0008103E'].Value).toEqual(['Compte rendu']);
    expect(series['00200011'].Value).toEqual([999]);
    expect(await reportInstances(signed.seriesInstanceUid)).toEqual([signed.sopInstanceUid]);
    // Filed under the request's patient: the study had no image before the report.
    const [study] = await qido(`/studies?StudyInstanceUID=${request.studyInstanceUid}&includefield=00100020`);
    expect(study['00100020'].Value).toEqual(['IPP-77']);
    expect(study['00080050'].Value).toEqual([request.accessionNumber]);

    const res = await hub.api(`/dicomweb/studies/${request.studyInstanceUid}/series/${signed.seriesInstanceUid}/instances/${signed.sopInstanceUid}`, {
      headers: { Accept: 'multipart/related; type="application/dicom"' },
    });
    expect(res.status).toBe(200);
    const [object] = await multipartParts(res);
    writeFileSync(join(tmp, 'report.dcm'), object);
    const dump = spawnSync('dcmdump', ['+U8', join(tmp, 'report.dcm')], { encoding: 'utf8' });
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain('=EncapsulatedPDFStorage');
    expect(dump.stdout).toContain('ÉLÉONORE^Hélène Éléonore');
    expect(dump.stdout).toContain('[VERIFIED]');

    const extracted = spawnSync('dcm2pdf', [join(tmp, 'report.dcm'), join(tmp, 'report.pdf')], { encoding: 'utf8' });
    expect(extracted.status).toBe(0);
    const stored = await reports.getReportPdf(request.id);
    expect(stored.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readFileSync(join(tmp, 'report.pdf')).equals(stored)).toBe(true);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(signed.pdfSha256);

    const view = await reports.getReport(request.id);
    expect(view).toMatchObject({
      id: signed.reportId,
      version: 1,
      status: 'final',
      radiologist: { name: 'Dr Paul DURAND', id: '10000000001' },
      signedAt: '2026-12-01T09:15:00.000Z',
      pdfBytes: stored.length,
      sopInstanceUid: signed.sopInstanceUid,
    });
    expect(view).not.toHaveProperty('pdf');
  });

  it('answers a retried signature (same idempotency key, even concurrent) with the first report, and files no second object', async () => {
    const first = await reports.signReport(input());
    expect(first.created).toBe(false);

    // Three attempts of an addendum at once: one signs under the request's lock, the others find its row.
    const addendum = input({ idemKey: `pathway-${request.id}:run-1:sign-report-2`, conclusion: 'Complément : pas de pneumothorax.' });
    const attempts = await Promise.all([1, 2, 3].map(() => reports.signReport(addendum)));
    expect(new Set(attempts.map((a) => a.reportId)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.sopInstanceUid)).size).toBe(1);
    expect(attempts.filter((a) => a.created)).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ version: 2, seriesInstanceUid: first.seriesInstanceUid });

    const both = [first.sopInstanceUid, attempts[0].sopInstanceUid].sort();
    await waitFor('the addendum in QIDO-RS', async () => JSON.stringify(await reportInstances(first.seriesInstanceUid)) === JSON.stringify(both));
    // The index queue is drained well within this; a duplicate object would show by now.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reportInstances(first.seriesInstanceUid)).toEqual(both);
    expect(await hub.sql('SELECT version FROM report WHERE request_id = $1 ORDER BY version', [request.id])).toEqual([{ version: 1 }, { version: 2 }]);
    expect((await reports.getReport(request.id))?.version).toBe(2);
    expect((await reports.getReport(request.id, 1))?.id).toBe(first.reportId);
  });

  it('sends the report series by C-MOVE like any series, and the copy received still gives back the PDF', async () => {
    const { seriesInstanceUid } = (await reports.getReport(request.id))!;
    const dir = join(tmp, 'workstation');
    mkdirSync(dir, { recursive: true });
    const scp = startStorescp('REPORTWS', workstationPort, dir);
    try {
      await waitFor('storescp listening', () => dcmtk('echoscu', ['-aet', 'KRYPTON', '-aec', 'REPORTWS', '127.0.0.1', String(workstationPort)]).status === 0);
      const moved = dcmtk('movescu', [
        ...hub.scu(),
        '-aem',
        'REPORTWS',
        '-S',
        '-k',
        'QueryRetrieveLevel=SERIES',
        '-k',
        `StudyInstanceUID=${request.studyInstanceUid}`,
        '-k',
        `SeriesInstanceUID=${seriesInstanceUid}`,
      ]);
      expect(moved.status).toBe(0);
      const files = await waitFor('both report versions received', () => (walk(dir).length === 2 ? walk(dir) : null));
      for (const [i, file] of files.sort().entries()) {
        expect(dcmtk('dcm2pdf', [file, join(tmp, `moved-${i}.pdf`)]).status).toBe(0);
      }
      const pdfs = [await reports.getReportPdf(request.id, 1), await reports.getReportPdf(request.id, 2)];
      const received = files.map((_, i) => readFileSync(join(tmp, `moved-${i}.pdf`)));
      expect(received.every((r) => pdfs.some((p) => p.equals(r)))).toBe(true);
      expect(received[0].equals(received[1])).toBe(false);
    } finally {
      scp.kill();
    }
  });

  it('refuses a study that is not the request’s and an unknown request, filing nothing', async () => {
    const wrongStudy = input({ idemKey: 'wrong-study', exam: { ...input().exam, studyInstanceUid: '2.25.12345' } });
    await expect(reports.signReport(wrongStudy)).rejects.toBeInstanceOf(ReportInputError);
    await expect(reports.signReport(input({ idemKey: 'unknown', requestId: '00000000-0000-4000-8000-00000000dead' }))).rejects.toBeInstanceOf(ReportRequestNotFoundError);
    expect(await hub.sql("SELECT 1 FROM report WHERE idem_key IN ('wrong-study', 'unknown')")).toHaveLength(0);
    expect(await hub.sql("SELECT 1 FROM study WHERE study_uid = '2.25.12345'")).toHaveLength(0);
  });
});
