import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CatalogService, MAX_RESULTS, QueryLevel } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Access, accessContext, AccessService } from '@krypton/access';
import { DicomwebExceptionFilter } from './dicomweb-exception.filter';
import { warningHeader } from './dicomweb-errors';
import { DICOMWEB_BASE_PATH, DicomwebUrls, requestOrigin } from './dicomweb-urls';
import { negotiateJson } from './media-types';
import { parseQidoSearch, QidoParams } from './qido-search';
import { qidoResult } from './qido-result';
import { jsonBytes, sendJson } from './multipart-response';

/**
 * QIDO-RS (PS3.18 10.6). Matching is the catalogue's, shared with C-FIND. No match answers
 * 204 No Content, as PS3.18 10.6.3.3.1 specifies (dicomweb-client and OHIF read it as an empty list).
 */
@ApiTags('dicomweb')
@ApiBearerAuth()
@UseFilters(DicomwebExceptionFilter)
@Controller(DICOMWEB_BASE_PATH)
export class QidoController {
  constructor(
    private readonly catalog: CatalogService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly access: AccessService,
  ) {}

  @Access('study', 'search', { instance: true })
  @Get('studies')
  @ApiOperation({ summary: 'QIDO-RS: search for studies' })
  @ApiProduces('application/dicom+json')
  studies(@Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('STUDY', q, {}, req, res);
  }

  @Access('study', 'search', { instance: true })
  @Get('series')
  @ApiOperation({ summary: 'QIDO-RS: search for series of all studies' })
  @ApiProduces('application/dicom+json')
  allSeries(@Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('SERIES', q, {}, req, res);
  }

  @Access('study', 'search', { instance: true })
  @Get('studies/:study/series')
  @ApiOperation({ summary: "QIDO-RS: search for a study's series" })
  @ApiProduces('application/dicom+json')
  studySeries(@Param('study') study: string, @Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('SERIES', q, { StudyInstanceUID: study }, req, res);
  }

  @Access('study', 'search', { instance: true })
  @Get('instances')
  @ApiOperation({ summary: 'QIDO-RS: search for instances of all studies' })
  @ApiProduces('application/dicom+json')
  allInstances(@Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('IMAGE', q, {}, req, res);
  }

  @Access('study', 'search', { instance: true })
  @Get('studies/:study/instances')
  @ApiOperation({ summary: "QIDO-RS: search for a study's instances" })
  @ApiProduces('application/dicom+json')
  studyInstances(@Param('study') study: string, @Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('IMAGE', q, { StudyInstanceUID: study }, req, res);
  }

  @Access('study', 'search', { instance: true })
  @Get('studies/:study/series/:series/instances')
  @ApiOperation({ summary: "QIDO-RS: search for a series' instances" })
  @ApiProduces('application/dicom+json')
  seriesInstances(@Param('study') study: string, @Param('series') series: string, @Query() q: QidoParams, @Req() req: Request, @Res() res: Response) {
    return this.search('IMAGE', q, { StudyInstanceUID: study, SeriesInstanceUID: series }, req, res);
  }

  private async search(level: QueryLevel, params: QidoParams, fixed: Record<string, string>, req: Request, res: Response): Promise<void> {
    const contentType = negotiateJson(req.get('accept'));
    const search = parseQidoSearch(level, params, fixed);
    const actx = accessContext(req);
    // Filtered in SQL, before LIMIT/OFFSET: a page never holds what the caller may not see.
    const filter = this.access.filter(actx, 'search');
    const scope = filter === 'all' ? undefined : filter;
    const rows = await this.catalog.query({ ...search.query, scope, withAuditKeys: true });
    // The record is made durable while the answer is built; nothing is sent before it is.
    const audited = this.access.recordSearch(
      actx,
      'study',
      rows.map((r) => ({ patient: (r.__ins ?? r.__pkey) as string | null, study: (r.__study ?? null) as string | null })),
      { level, keys: search.query.keys },
    );
    audited.catch(() => undefined); // awaited below; this only keeps an early throw from leaving it unhandled
    const warnings = [...search.warnings];
    if (search.pageCapped && rows.length === (search.query.limit ?? MAX_RESULTS)) {
      warnings.push(`results were limited to ${rows.length}; there may be more: page with limit and offset`);
    }
    if (rows.length === 0) {
      await audited;
      if (warnings.length) res.setHeader('Warning', warnings.map(warningHeader));
      res.status(204).end();
      return;
    }
    const urls = new DicomwebUrls(requestOrigin(this.cfg.http.publicUrl, req));
    const options = { level, include: search.include, matched: Object.keys(search.query.keys), scopedToParent: Object.keys(fixed).length > 0, urls };
    const body = jsonBytes(rows.map((r) => qidoResult(r, options)));
    await audited;
    if (warnings.length) res.setHeader('Warning', warnings.map(warningHeader));
    sendJson(res, 200, contentType, body);
  }
}
