import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { AcquisitionService } from '@krypton/pathway';
import { PageQueryDto } from '../common/page-query.dto';
import { asHttp } from '../requests/request-http-errors';
import { withLinks } from '../requests/request-links';
import { AttachStudyDto, RegisterUnscheduledDto } from './acquisition.dto';

/**
 * What the acquisition matcher could not tie to a request — studies from modalities with no
 * matching accession number or Study Instance UID, MPPS with no matching request — and the
 * coordinator's three ways out for a study: attach it, register it as an unscheduled exam, dismiss it.
 */
@ApiTags('acquisition')
@ApiBearerAuth()
@Controller('acquisition')
export class AcquisitionController {
  constructor(private readonly acquisition: AcquisitionService) {}

  @Get('unmatched')
  @Access('acquisition', 'search')
  @ApiOperation({ summary: 'Studies and MPPS that match no request, newest first' })
  async unmatched(@Query() q: PageQueryDto) {
    return this.acquisition.listUnmatched(q.limit ?? 100, q.offset ?? 0);
  }

  @Post('unmatched-studies/:studyUid/attach')
  @HttpCode(202)
  @Access('acquisition', 'write')
  @ApiOperation({ summary: 'Attach the study to a request: its pathway continues with this study' })
  async attach(@Param('studyUid') studyUid: string, @Body() body: AttachStudyDto, @CurrentPrincipal() who: Principal) {
    await asHttp(() => this.acquisition.attach(studyUid, body.requestId, who.name));
    return { studyUid, requestId: body.requestId, resolution: 'attached' };
  }

  @Post('unmatched-studies/:studyUid/register')
  @HttpCode(201)
  @Access('acquisition', 'write')
  @ApiOperation({ summary: 'Register the study as an unscheduled exam: a request is created and its pathway starts acquired' })
  async register(@Param('studyUid') studyUid: string, @Body() body: RegisterUnscheduledDto, @CurrentPrincipal() who: Principal) {
    const created = await asHttp(() => this.acquisition.registerUnscheduled(studyUid, { ...body, site: body.site ?? null, by: who.name }));
    return withLinks(created);
  }

  @Post('unmatched-studies/:studyUid/dismiss')
  @HttpCode(200)
  @Access('acquisition', 'write')
  @ApiOperation({ summary: 'Not an exam of the pathway (test, phantom): leaves the list, the images stay archived' })
  async dismiss(@Param('studyUid') studyUid: string, @CurrentPrincipal() who: Principal) {
    await asHttp(() => this.acquisition.dismiss(studyUid, who.name));
    return { studyUid, resolution: 'dismissed' };
  }
}
