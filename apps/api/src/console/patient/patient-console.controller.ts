import { Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, accessContext, AccessService, identifierValues, userSubject } from '@krypton/access';
import { AuditService } from '@krypton/audit';
import { ExamAccessStore, RequestService } from '@krypton/pathway';
import { ReportService } from '@krypton/reports';
import { PatientHistoryService } from '@krypton/dose-registry';
import { PatientLinkService, SharingService } from '@krypton/sharing';
import { patientDoseHistory } from '../../dose/patient-dose-history';
import { sharingCall } from '../../sharing/sharing-http-errors';
import { redirectAfterAction } from '../console-redirect';
import { doseWindows } from './patient-dose.view-model';
import { requireExam } from '../../common/access-http';
import { patientAccessLog } from '../../access/patient-access-log';
import { sharedExams } from '../../requests/shared-exams';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import type { ConsoleRequest } from '../console-request';
import { requestRow, viewerUrl } from '../requests/request-row';

/** The patient's screens: the same decisions and audit as `GET /shared/exams`, `/requests/{id}/report` and `/me/access-log`. */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/patient')
export class PatientConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly requests: RequestService,
    private readonly reports: ReportService,
    private readonly shares: ExamAccessStore,
    private readonly history: PatientHistoryService,
    private readonly links: PatientLinkService,
    private readonly sharing: SharingService,
  ) {}

  /** My exams: those released to the patient (their report signed), each with its report and images. */
  @Get('exams')
  @Access('report', 'search', { instance: true })
  async exams(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const exams = await sharedExams(this.access, this.shares, this.requests, req, req.principal!, { limit: 100 });
    const rows = exams.map((e) => ({
      ...requestRow(e.request),
      sharedAt: e.sharedAt,
      viewer: (e.request.acquiredStudyUid ?? e.request.studyInstanceUid) ? viewerUrl((e.request.acquiredStudyUid ?? e.request.studyInstanceUid)!) : null,
    }));
    this.pages.page(req, res, 'patient/exams', { rows, empty: rows.length === 0 }, { titleKey: 'patient.exams.title' });
  }

  @Get('exams/:id')
  @Access('report', 'read-metadata', { instance: true })
  async exam(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const notFound = () => new NotFoundException(`id: no request ${id}`);
    await requireExam(this.access, req, 'read-metadata', 'report', { requestId: id }, notFound);
    const request = await this.requests.get(id);
    if (!request) throw notFound();
    const report = await this.reports.getReport(id);
    const study = request.acquiredStudyUid ?? request.studyInstanceUid;
    this.pages.page(
      req,
      res,
      'patient/exam',
      { request: requestRow(request), report, pdf: report ? `/requests/${id}/report/pdf` : null, viewer: study ? viewerUrl(study) : null },
      { titleKey: 'patient.exam.title', titleParams: { procedure: request.procedure.label ?? request.procedure.code } },
    );
  }

  @Get('access-log')
  @Access('audit', 'search', { instance: true })
  async accessLog(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const entries = await patientAccessLog(this.access, this.audit, req, { limit: 200 }, 'console/patient/access-log');
    this.pages.page(req, res, 'patient/access-log', { entries, empty: entries.length === 0 }, { titleKey: 'patient.accessLog.title' });
  }

  /**
   * My dose history in plain words: the same decision and audit as GET /patients/{key}/dose-history,
   * for the patient's own INS. A 404 there (no dose record under that INS yet) is the page's "nothing yet".
   */
  @Get('dose')
  @Access('dose-record', 'read-metadata', { instance: true })
  async dose(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const [ins] = identifierValues(userSubject(req.principal!), 'ins');
    let windows: ReturnType<typeof doseWindows> = [];
    let exams = 0;
    if (ins) {
      try {
        const found = await patientDoseHistory(this.access, this.history, req, ins);
        windows = doseWindows(found);
        exams = found.exams.length;
      } catch (e) {
        if (!(e instanceof NotFoundException)) throw e;
      }
    }
    this.pages.page(req, res, 'patient/dose', { windows, exams, empty: windows.length === 0 }, { titleKey: 'patient.dose.title' });
  }

  /** My share links and the shares I made: PatientLinkService.list / SharingService.list as GET /shares/links and GET /shares. */
  @Get('links')
  @Access('sharing', 'search', { instance: true })
  async sharesPage(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const ctx = accessContext(req);
    const [links, shares] = await Promise.all([sharingCall(() => this.links.list(ctx, {})), sharingCall(() => this.sharing.list(ctx, { limit: 100, offset: 0 }))]);
    const now = Date.now();
    const active = (l: { revokedAt: string | null; expiresAt: string }) => !l.revokedAt && new Date(l.expiresAt).getTime() > now;
    this.pages.page(
      req,
      res,
      'patient/links',
      { links: links.map((l) => ({ ...l, active: active(l) })), shares: shares.map((s) => ({ ...s, active: active(s) })), noLinks: links.length === 0, noShares: shares.length === 0 },
      { titleKey: 'patient.links.title' },
    );
  }

  @Post('links/:id/revoke')
  @HttpCode(200)
  @Access('sharing', 'write', { instance: true })
  async revokeLink(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await sharingCall(() => this.links.revoke(accessContext(req), id));
    redirectAfterAction(req, res, '/console/patient/links');
  }

  @Post('shares/:id/revoke')
  @HttpCode(200)
  @Access('sharing', 'write', { instance: true })
  async revokeShare(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await sharingCall(() => this.sharing.revoke(accessContext(req), id));
    redirectAfterAction(req, res, '/console/patient/links');
  }
}
