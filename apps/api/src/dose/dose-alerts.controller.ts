import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { DoseAlertStore } from '@krypton/dose-registry';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { doseAlertQuery, followUpUpdate, reviewUpdate, DOSE_ALERT_ROLE_REFUSED, DOSE_ALERT_WRONG_STATE } from '@krypton/workflows/dose';
import { runWorkflowUpdate } from '../common/workflow-update';
import { FollowUpDto, ReviewDto } from './dose-alert-answer.dto';
import { AlertListQueryDto } from './dose-query.dto';

const ALERT_ID = /^[a-z0-9-]{1,120}$/;

@ApiTags('dose alerts')
@ApiBearerAuth()
@Controller('dose/alerts')
export class DoseAlertsController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly store: DoseAlertStore,
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
    const alert = await this.store.get(this.checkId(id));
    if (!alert) throw new NotFoundException(`id: no dose alert ${id}`);
    return alert;
  }

  @Post(':id/review')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  @ApiOperation({ summary: "Record the physicist's review (a Temporal Update of the alert's workflow)" })
  async review(@Param('id') id: string, @Body() body: ReviewDto, @CurrentPrincipal() who: Principal) {
    return this.update(id, (h) => h.executeUpdate(reviewUpdate, { args: [{ by: who.name, roles: who.roles, ...body }] }));
  }

  @Post(':id/follow-up')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  @ApiOperation({ summary: "Record the patient's follow-up; the alert then closes" })
  async followUp(@Param('id') id: string, @Body() body: FollowUpDto, @CurrentPrincipal() who: Principal) {
    return this.update(id, (h) => h.executeUpdate(followUpUpdate, { args: [{ by: who.name, roles: who.roles, ...body }] }));
  }

  private checkId(id: string): string {
    if (!ALERT_ID.test(id)) throw new UnprocessableEntityException(`id: "${id}" is not a dose alert id`);
    return id;
  }

  /** Runs an Update and turns the workflow's refusals into HTTP statuses. */
  private async update(id: string, run: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>) {
    const alert = await this.store.get(this.checkId(id));
    if (!alert) throw new NotFoundException(`id: no dose alert ${id}`);
    const handle = this.temporal.workflow.getHandle(alert.workflowId as string);
    await runWorkflowUpdate(handle, run, { roleRefused: DOSE_ALERT_ROLE_REFUSED, wrongState: DOSE_ALERT_WRONG_STATE, subject: `dose alert ${id}` });
    return { ...(await handle.query(doseAlertQuery)), links: { alert: `/dose/alerts/${id}` } };
  }
}
