import { Controller, Get, NotFoundException, Param, Query, Req, StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access, accessContext, AccessService } from '@krypton/access';
import { requireExam } from '../common/access-http';
import { ReportNotFoundError, ReportService } from '@krypton/reports';
import { ExamAccessStore, RequestService } from '@krypton/pathway';
import { SharingService } from '@krypton/sharing';
import { PageQueryDto } from '../common/page-query.dto';
import { withLinks } from './request-links';

/** The signed report of an exam, for the referrer (and the patient) it is shared with, and for the radiology side. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportController {
  constructor(
    private readonly reports: ReportService,
    private readonly requests: RequestService,
    private readonly shares: ExamAccessStore,
    private readonly access: AccessService,
    private readonly sharing: SharingService,
  ) {}

  @Get('requests/:id/report')
  @Access('report', 'read-metadata', { instance: true })
  @ApiOperation({ summary: "The exam's signed report (latest version) as JSON; 404 before signature, 403 when not shared with the caller" })
  async report(@Param('id') id: string, @Req() req: Request) {
    await this.mustSee(req, id, 'read-metadata');
    const report = await this.reports.getReport(id);
    if (!report) throw new NotFoundException(`id: request ${id} has no signed report yet`);
    return { ...report, links: { pdf: `/requests/${id}/report/pdf`, request: `/requests/${id}` } };
  }

  @Get('requests/:id/report/pdf')
  @Access('report', 'download', { instance: true })
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: "The signed report's PDF (the same bytes the DICOM Encapsulated PDF in the study carries)" })
  async pdf(@Param('id') id: string, @Req() req: Request): Promise<StreamableFile> {
    await this.mustSee(req, id, 'download');
    try {
      const pdf = await this.reports.getReportPdf(id);
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="report-${id}.pdf"` });
    } catch (e) {
      if (e instanceof ReportNotFoundError) throw new NotFoundException(`id: request ${id} has no signed report yet`);
      throw e;
    }
  }

  /**
   * Both ways an exam reaches someone else: the pathway's release of a signed report to the
   * referrer and the patient (`via: report`), and shares (`via: share`, issue #11). Each source is
   * read up to offset + limit, newest first, then merged, so paging holds across both.
   */
  @Get('shared/exams')
  @Access('study', 'search', { instance: true })
  @ApiOperation({
    summary:
      'Exams shared with the caller, newest first: reports released to them (a referrer by RPPS, a patient by INS; via "report") and shares with them or their sites in force now (via "share": not expired, revoked or silenced by an opposition)',
  })
  async shared(@Query() q: PageQueryDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const actx = accessContext(req);
    const grants = await this.shares.sharedWith(who.identifiers, limit + offset, 0);
    const exams = await Promise.all(grants.map(async (g) => ({ grant: g, request: await this.requests.get(g.requestId) })));
    const released = exams
      .filter((e) => e.request)
      .map((e) => ({ via: 'report' as const, ...withLinks(e.request!), sharedAs: e.grant.reason, sharedAt: e.grant.grantedAt, report: `/requests/${e.grant.requestId}/report` }));
    const shared = (await this.sharing.sharedWithMe(actx, { limit: limit + offset, offset: 0 }, { audit: false })).map((s) => ({ via: 'share' as const, ...s }));
    const page = [...released, ...shared].sort((a, b) => Date.parse(b.sharedAt) - Date.parse(a.sharedAt)).slice(offset, offset + limit);
    const hits = page.map((e) => (e.via === 'share' ? { patient: e.patient, study: e.studyInstanceUid } : { patient: e.patient.ins ?? null, study: e.studyInstanceUid ?? null }));
    await this.access.recordSearch(actx, 'study', hits, { route: 'shared/exams' });
    return page.map((e) => (e.via === 'share' ? { ...e, patient: undefined } : e));
  }

  /** A report the caller may not see answers 404, as an absent request does. */
  private async mustSee(req: Request, id: string, action: 'read-metadata' | 'download'): Promise<void> {
    await requireExam(this.access, req, action, 'report', { requestId: id }, () => new NotFoundException(`id: no request ${id}`));
  }
}
