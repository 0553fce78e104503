import { Controller, Get, NotFoundException, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, AccessService } from '@krypton/access';
import { AuditService } from '@krypton/audit';
import { ExamAccessStore, RequestService } from '@krypton/pathway';
import { ReportService } from '@krypton/reports';
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
}
