import { Controller, Get, NotFoundException, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@krypton/auth';
import { ReportNotFoundError, ReportService } from '@krypton/reports';
import { ExamAccessStore, RequestService } from '@krypton/pathway';
import { PageQueryDto } from '../common/page-query.dto';
import { checkExamAccess, REPORT_STAFF_ROLES } from './exam-access';
import { withLinks } from './request-links';

const READERS = [...REPORT_STAFF_ROLES, 'referrer', 'patient'];

/** The signed report of an exam, for the referrer (and the patient) it is shared with, and for the radiology side. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportController {
  constructor(
    private readonly reports: ReportService,
    private readonly requests: RequestService,
    private readonly access: ExamAccessStore,
  ) {}

  @Get('requests/:id/report')
  @Roles(...READERS)
  @ApiOperation({ summary: "The exam's signed report (latest version) as JSON; 404 before signature, 403 when not shared with the caller" })
  async report(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    await this.mustExist(id);
    await checkExamAccess(this.access, id, who);
    const report = await this.reports.getReport(id);
    if (!report) throw new NotFoundException(`id: request ${id} has no signed report yet`);
    return { ...report, links: { pdf: `/requests/${id}/report/pdf`, request: `/requests/${id}` } };
  }

  @Get('requests/:id/report/pdf')
  @Roles(...READERS)
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: "The signed report's PDF (the same bytes the DICOM Encapsulated PDF in the study carries)" })
  async pdf(@Param('id') id: string, @CurrentPrincipal() who: Principal): Promise<StreamableFile> {
    await this.mustExist(id);
    await checkExamAccess(this.access, id, who);
    try {
      const pdf = await this.reports.getReportPdf(id);
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="report-${id}.pdf"` });
    } catch (e) {
      if (e instanceof ReportNotFoundError) throw new NotFoundException(`id: request ${id} has no signed report yet`);
      throw e;
    }
  }

  @Get('shared/exams')
  @Roles('referrer', 'patient')
  @ApiOperation({ summary: 'Exams shared with the caller (a referrer by RPPS, a patient by INS), newest first' })
  async shared(@Query() q: PageQueryDto, @CurrentPrincipal() who: Principal) {
    const grants = await this.access.sharedWith(who.identifiers, q.limit ?? 100, q.offset ?? 0);
    const exams = await Promise.all(grants.map(async (g) => ({ grant: g, request: await this.requests.get(g.requestId) })));
    return exams.filter((e) => e.request).map((e) => ({ ...withLinks(e.request!), sharedAs: e.grant.reason, sharedAt: e.grant.grantedAt, report: `/requests/${e.grant.requestId}/report` }));
  }

  private async mustExist(id: string): Promise<void> {
    if (!(await this.requests.get(id))) throw new NotFoundException(`id: no request ${id}`);
  }
}
