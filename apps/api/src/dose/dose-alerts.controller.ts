import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { DoseAlertStore } from '@krypton/dose-registry';
import { DoseAlertActions } from './dose-alert-actions.service';
import { FollowUpDto, ReviewDto } from './dose-alert-answer.dto';
import { AlertListQueryDto } from './dose-query.dto';

@ApiTags('dose alerts')
@ApiBearerAuth()
@Controller('dose/alerts')
export class DoseAlertsController {
  constructor(
    private readonly store: DoseAlertStore,
    private readonly actions: DoseAlertActions,
  ) {}

  @Get()
  @Access('dose-alert', 'search')
  @ApiOperation({ summary: 'Over-exposure alerts, newest first' })
  async list(@Query() q: AlertListQueryDto) {
    return this.store.list({ state: q.state, site: q.site, limit: q.limit ?? 100, offset: q.offset ?? 0 });
  }

  @Get(':id')
  @Access('dose-alert', 'read-metadata')
  @ApiOperation({ summary: 'One alert with its audit trail' })
  async get(@Param('id') id: string) {
    return this.actions.get(id);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  @ApiOperation({ summary: "Record the physicist's review (a Temporal Update of the alert's workflow)" })
  async review(@Param('id') id: string, @Body() body: ReviewDto, @CurrentPrincipal() who: Principal) {
    return { ...(await this.actions.review(id, who, body)), links: { alert: `/dose/alerts/${id}` } };
  }

  @Post(':id/follow-up')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  @ApiOperation({ summary: "Record the patient's follow-up; the alert then closes" })
  async followUp(@Param('id') id: string, @Body() body: FollowUpDto, @CurrentPrincipal() who: Principal) {
    return { ...(await this.actions.followUp(id, who, body)), links: { alert: `/dose/alerts/${id}` } };
  }
}
