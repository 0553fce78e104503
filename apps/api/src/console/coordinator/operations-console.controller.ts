import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { Access } from '@krypton/access';
import { ForwardJobService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig, routingDestinations } from '@krypton/config';
import { AcquisitionService } from '@krypton/pathway';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { AttachStudyDto, RegisterUnscheduledDto } from '../../acquisition/acquisition.dto';
import { asHttp } from '../../requests/request-http-errors';
import { OperatorActionDto } from '../../routing/operator-action.dto';
import { destinationQueue, forwardOperatorAction } from '../../routing/forward-operator';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import { redirectAfterAction } from '../console-redirect';
import type { ConsoleRequest } from '../console-request';
import { checkDto } from '../dto-check';

/**
 * The coordinator's operations: studies no request matched (attach, register, dismiss) and the
 * destinations' queues with the answers to a routing that failed for good (retry, reroute, skip),
 * on the services and helpers of `/acquisition/*`, `GET /destinations/{id}/queue` and
 * `POST /forwards/{id}/actions`.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/coordinator')
export class OperationsConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly acquisition: AcquisitionService,
    private readonly jobs: ForwardJobService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Get('unmatched')
  @Access('acquisition', 'search')
  async unmatched(@Query('done') done: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const view = await this.acquisition.listUnmatched(100, 0);
    this.pages.page(
      req,
      res,
      'coordinator/unmatched',
      { ...view, done: done === 'dismissed' ? done : null, noStudies: view.studies.length === 0, noMpps: view.mpps.length === 0 },
      { titleKey: 'coordinator.unmatched.title' },
    );
  }

  @Post('unmatched/:studyUid/attach')
  @HttpCode(200)
  @Access('acquisition', 'write')
  async attach(@Param('studyUid') studyUid: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const body = await checkDto(AttachStudyDto, form, ['requestId']);
    await asHttp(() => this.acquisition.attach(studyUid, body.requestId, req.principal!.name));
    redirectAfterAction(req, res, `/console/coordinator/pathways/${encodeURIComponent(body.requestId)}`);
  }

  @Post('unmatched/:studyUid/register')
  @HttpCode(200)
  @Access('acquisition', 'write')
  async register(@Param('studyUid') studyUid: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const body = await checkDto(RegisterUnscheduledDto, form, ['procedureCode', 'priority', 'site']);
    const created = await asHttp(() => this.acquisition.registerUnscheduled(studyUid, { ...body, site: body.site ?? null, by: req.principal!.name }));
    redirectAfterAction(req, res, `/console/coordinator/pathways/${encodeURIComponent(created.id)}`);
  }

  @Post('unmatched/:studyUid/dismiss')
  @HttpCode(200)
  @Access('acquisition', 'write')
  async dismiss(@Param('studyUid') studyUid: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await asHttp(() => this.acquisition.dismiss(studyUid, req.principal!.name));
    redirectAfterAction(req, res, '/console/coordinator/unmatched?done=dismissed');
  }

  /** Every destination's queue on one page: a coordinator looks for what is stuck, not at one destination. */
  @Get('destinations')
  @Access('routing', 'search')
  async destinations(@Query('done') done: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const all = routingDestinations(this.cfg);
    const queues = await Promise.all(all.map((d) => destinationQueue(this.cfg, this.jobs, d.name)));
    const rows = queues.map((q) => ({ ...q, waiting: q.waiting.map((j) => ({ ...j, needsOperator: j.state === 'waiting-for-operator' })), empty: q.waiting.length === 0 }));
    this.pages.page(
      req,
      res,
      'coordinator/destinations',
      { done: ['retry', 'reroute', 'skip'].includes(done ?? '') ? done : null, queues: rows, names: all.map((d) => d.name) },
      { titleKey: 'coordinator.destinations.title' },
    );
  }

  @Post('forwards/:id/actions')
  @HttpCode(200)
  @Access('routing', 'write')
  async act(@Param('id') id: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const body = await checkDto(OperatorActionDto, form, ['action', 'destination', 'reason']);
    await forwardOperatorAction(this.cfg, this.temporal, id, body);
    redirectAfterAction(req, res, '/console/coordinator/destinations?done=' + body.action);
  }
}
