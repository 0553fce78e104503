import { resolve } from 'node:path';
import { configSchema } from '@krypton/config';
import { readPart10 } from '@krypton/dicom-codec';
import type { IngestInput, IngestService } from '@krypton/ingest';
import { ReportIdempotencyError, ReportInputError } from './report-errors';
import { loadReportTemplate } from './report-renderer';
import { reportInstanceUid } from './report-uids';
import { ReportService } from './report.service';
import type { ArchiveStudy, LockedRequest, NewReportRow, ReportStore } from './report.store';
import { SAMPLE_SIGN_INPUT } from './sample-input';
import type { ReportView } from './sign-report-input';

/** The store's contract in memory (the SQL, locking included, is exercised by test/reports.e2e-spec.ts). */
class MemoryReportStore {
  readonly rows: (ReportView & { idemKey: string; pdf: Buffer })[] = [];
  archive: ArchiveStudy | null = null;
  constructor(readonly request: LockedRequest) {}

  async findByIdemKey(key: string) {
    return this.rows.find((r) => r.idemKey === key) ?? null;
  }
  async archiveStudy() {
    return this.archive;
  }
  async signOnce(requestId: string, idemKey: string, produce: (ctx: { version: number; request: LockedRequest }) => Promise<NewReportRow>) {
    const done = await this.findByIdemKey(idemKey);
    if (done) return { report: done, created: false };
    const version = this.rows.filter((r) => r.requestId === requestId).length + 1;
    const row = await produce({ version, request: this.request });
    const view = {
      ...row,
      requestId,
      version,
      status: 'final' as const,
      idemKey,
      radiologist: { name: row.radiologist, id: row.radiologistId },
      signedAt: row.signedAt.toISOString(),
      pdfBytes: row.pdf.length,
      createdAt: new Date().toISOString(),
    };
    this.rows.push(view);
    return { report: view, created: true };
  }
}

describe('ReportService', () => {
  const cfg = configSchema.parse({});
  const renderer = loadReportTemplate(resolve(__dirname, '../../../config/reports'));
  let store: MemoryReportStore;
  let ingested: IngestInput[];
  let service: ReportService;

  beforeEach(() => {
    store = new MemoryReportStore({ id: SAMPLE_SIGN_INPUT.requestId, accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1' });
    ingested = [];
    const ingest = { ingest: async (i: IngestInput) => void ingested.push(i) } as unknown as IngestService;
    service = new ReportService(cfg, renderer, store as unknown as ReportStore, ingest);
  });

  it('signs: one DICOM object through the ingest path, under the name-based UID, the PDF hash and text returned', async () => {
    const r = await service.signReport(SAMPLE_SIGN_INPUT);
    expect(r).toMatchObject({ version: 1, created: true, sopInstanceUid: reportInstanceUid(SAMPLE_SIGN_INPUT.requestId, 'sample'), pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.renderedText).toContain('Conclusion\nRadiographie thoracique normale.');
    expect(ingested).toHaveLength(1);
    expect(ingested[0]).toMatchObject({ sourceAe: null, expectSopInstanceUid: r.sopInstanceUid, expectSopClassUid: '1.2.840.10008.5.1.4.1.1.104.1' });
    const ds = readPart10(ingested[0].chunks[0]).dataset;
    expect(ds).toMatchObject({ StudyInstanceUID: '2.25.1', AccessionNumber: 'KR00000001', PatientID: 'IPP-1', InstanceNumber: 1, ReferringPhysicianName: [{ Alphabetic: 'Dr Jeanne MARTIN' }] });
  });

  it('answers a retried signature with the first report and makes nothing new', async () => {
    const first = await service.signReport(SAMPLE_SIGN_INPUT);
    const again = await service.signReport(SAMPLE_SIGN_INPUT);
    expect(again).toEqual({ ...first, created: false });
    expect(ingested).toHaveLength(1);
    await expect(service.signReport({ ...SAMPLE_SIGN_INPUT, requestId: '11111111-1111-4111-8111-111111111111' })).rejects.toBeInstanceOf(ReportIdempotencyError);
  });

  it('numbers an addendum 2 and files it as the next instance of the same series', async () => {
    const first = await service.signReport(SAMPLE_SIGN_INPUT);
    const addendum = await service.signReport({ ...SAMPLE_SIGN_INPUT, idemKey: 'addendum', conclusion: 'Complément : pas de pneumothorax.' });
    expect(addendum).toMatchObject({ version: 2, seriesInstanceUid: first.seriesInstanceUid });
    expect(addendum.sopInstanceUid).not.toBe(first.sopInstanceUid);
    expect(addendum.renderedText).toContain('Complément au compte rendu (version 2)');
    expect(readPart10(ingested[1].chunks[0]).dataset.InstanceNumber).toBe(2);
  });

  it('files the DICOM copy under the archive’s patient when the study has images already', async () => {
    store.archive = {
      patient: { patientId: 'MOD-42', issuer: 'CHU-NORD', patientName: 'ELEONORE^HELENE', birthDate: '19790312', sex: 'F', ins: null },
      study: { studyDate: '20260314', studyTime: '101500', studyId: '7', referringPhysicianName: 'MARTIN^J', accessionNumber: 'KR00000001' },
    };
    await service.signReport(SAMPLE_SIGN_INPUT);
    expect(readPart10(ingested[0].chunks[0]).dataset).toMatchObject({
      PatientID: 'MOD-42',
      IssuerOfPatientID: 'CHU-NORD',
      PatientName: [{ Alphabetic: 'ELEONORE^HELENE' }],
      StudyTime: '101500',
      StudyID: '7',
      ReferringPhysicianName: [{ Alphabetic: 'MARTIN^J' }],
    });
  });

  it('refuses to file a report in a study that is not the request’s, before storing anything', async () => {
    const wrong = { ...SAMPLE_SIGN_INPUT, exam: { ...SAMPLE_SIGN_INPUT.exam, studyInstanceUid: '2.25.999' } };
    await expect(service.signReport(wrong)).rejects.toBeInstanceOf(ReportInputError);
    expect(ingested).toHaveLength(0);
    expect(store.rows).toHaveLength(0);
  });
});
