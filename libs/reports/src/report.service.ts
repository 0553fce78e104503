import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { IngestService } from '@krypton/ingest';
import { encapsulatePdf, ENCAPSULATED_PDF_SOP_CLASS } from './encapsulated-pdf';
import { ReportIdempotencyError, ReportNotFoundError } from './report-errors';
import { archivePatientFromRequest } from './report-patient';
import { renderReportPdf } from './report-pdf';
import { ReportRenderer } from './report-renderer';
import { zoned } from './report-time';
import { reportInstanceUid, reportSeriesUid } from './report-uids';
import { reportView, type ReportViewModel } from './report-view';
import { ReportStore, type ArchiveStudy, type NewReportRow } from './report.store';
import { checkRequestMatches, checkSignInput } from './sign-report-rules';
import type { ReportView, SignedReport, SignReportInput } from './sign-report-input';

/** Injection token of the compiled report template (see ReportsModule). */
export const REPORT_RENDERER = Symbol('REPORT_RENDERER');

function signed(r: ReportView, created: boolean): SignedReport {
  return {
    reportId: r.id,
    version: r.version,
    studyInstanceUid: r.studyInstanceUid,
    seriesInstanceUid: r.seriesInstanceUid,
    sopInstanceUid: r.sopInstanceUid,
    pdfSha256: r.pdfSha256,
    renderedText: r.renderedText,
    signedAt: r.signedAt,
    created,
  };
}

function documentTitle(view: ReportViewModel): string {
  return `Compte rendu — ${view.exam.label}${view.isAddendum ? ` (complément, version ${view.version})` : ''}`;
}

/**
 * The signed radiology report: rendered from the site's template, laid out as a PDF, kept in
 * PostgreSQL and filed in the study as a DICOM Encapsulated PDF through IngestService — the same
 * way in as a C-STORE or STOW-RS object, so it is indexed, queried and retrieved like any image.
 * Safe to call again with the same idempotency key (Temporal retries activities).
 *
 * @example
 *   const r = await reports.signReport({ requestId, idemKey: `${runId}:${activityId}`, signedAt, ... });
 *   // r.sopInstanceUid is in study r.studyInstanceUid, series r.seriesInstanceUid (Modality DOC)
 */
@Injectable()
export class ReportService {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(REPORT_RENDERER) private readonly renderer: ReportRenderer,
    private readonly store: ReportStore,
    private readonly ingest: IngestService,
  ) {}

  /**
   * @throws ReportInputError (a field, or a study/accession that is not the request's),
   *   ReportRequestNotFoundError, ReportIdempotencyError — none worth retrying; storage, queue
   *   and database errors are (the call is idempotent).
   */
  async signReport(input: SignReportInput): Promise<SignedReport> {
    const signedAt = checkSignInput(input);
    // The common retry answers without taking the request's lock.
    const first = await this.store.findByIdemKey(input.idemKey);
    if (first) {
      if (first.requestId !== input.requestId) throw new ReportIdempotencyError(input.idemKey, input.requestId, first.requestId);
      return signed(first, false);
    }
    const archive = await this.archiveStudy(input);
    const { report, created } = await this.store.signOnce(input.requestId, input.idemKey, async ({ version, request }) => {
      checkRequestMatches(request, input);
      return this.produce(input, signedAt, version, archive);
    });
    return signed(report, created);
  }

  /** The latest version (or the one asked for), without the PDF; null when none is signed. */
  async getReport(requestId: string, version?: number): Promise<ReportView | null> {
    return this.store.get(requestId, version);
  }

  /** Every version, oldest first. */
  async listReports(requestId: string): Promise<ReportView[]> {
    return this.store.list(requestId);
  }

  /** @throws ReportNotFoundError */
  async getReportPdf(requestId: string, version?: number): Promise<Buffer> {
    const pdf = await this.store.pdf(requestId, version);
    if (!pdf) throw new ReportNotFoundError(requestId, version);
    return pdf;
  }

  /** The caller's archive values, else the catalogue's, else (no image yet) the request's patient. */
  private async archiveStudy(input: SignReportInput): Promise<ArchiveStudy> {
    const fromCatalogue = await this.store.archiveStudy(input.exam.studyInstanceUid);
    const none = { studyDate: null, studyTime: null, studyId: null, referringPhysicianName: null, accessionNumber: null };
    return {
      patient: input.archivePatient ?? fromCatalogue?.patient ?? archivePatientFromRequest(input.patient),
      study: fromCatalogue?.study ?? none,
    };
  }

  /** Everything a signature makes, the DICOM copy stored on the way; the row is the store's to write. */
  private async produce(input: SignReportInput, signedAt: Date, version: number, archive: ArchiveStudy): Promise<NewReportRow> {
    const timeZone = this.cfg.reports.timeZone;
    const view = reportView(input, signedAt, version, timeZone);
    const rendered = this.renderer.render(view);
    const title = documentTitle(view);
    const pdf = await renderReportPdf({
      blocks: rendered.blocks,
      footer: [view.patient.displayName, view.patient.birthDate && `né(e) le ${view.patient.birthDate}`, `examen ${view.exam.accessionNumber}`].filter(Boolean).join(' — '),
      info: { title, author: view.radiologist.name, subject: `${view.exam.accessionNumber} — ${view.patient.displayName}` },
      signedAt,
    });
    const seriesInstanceUid = reportSeriesUid(input.requestId);
    const sopInstanceUid = reportInstanceUid(input.requestId, input.idemKey);
    const part10 = encapsulatePdf({
      pdf,
      patient: archive.patient,
      study: {
        ...archive.study,
        studyInstanceUid: input.exam.studyInstanceUid,
        accessionNumber: input.exam.accessionNumber,
        referringPhysicianName: archive.study.referringPhysicianName ?? view.referrer.name,
      },
      seriesInstanceUid,
      sopInstanceUid,
      instanceNumber: version,
      documentTitle: title,
      signed: zoned(signedAt, timeZone),
      verifyingObserver: { name: view.radiologist.name, organisation: view.site.name },
      institutionName: view.site.name,
    });
    // The hub's one way in: on disk (fsync) when this resolves, indexed by the worker right after.
    await this.ingest.ingest({ chunks: [part10], sourceAe: null, expectSopInstanceUid: sopInstanceUid, expectSopClassUid: ENCAPSULATED_PDF_SOP_CLASS });
    return {
      id: randomUUID(),
      radiologist: view.radiologist.name,
      radiologistId: view.radiologist.id,
      signedAt,
      technique: view.technique,
      findings: view.findings,
      conclusion: view.conclusion,
      renderedText: rendered.text,
      pdf,
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
      studyInstanceUid: input.exam.studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid,
    };
  }
}
