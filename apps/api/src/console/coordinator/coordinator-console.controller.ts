import { Body, Controller, Get, Inject, MessageEvent, Param, Post, Query, Req, Res, Sse, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Access, AccessService } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { PATHWAY_STATES, PROCEDURE_CATALOGUE, ProcedureCatalogue, RequestService } from '@krypton/pathway';
import { asHttp } from '../../requests/request-http-errors';
import { PathwayQueryDto } from '../../requests/request-query.dto';
import { searchRequests, visibleRequest } from '../../requests/request-roles';
import { CancelRequestDto, ChangeRequestDto, ScheduleRequestDto } from '../../requests/schedule-request.dto';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import type { ConsoleRequest } from '../console-request';
import { checkDto } from '../dto-check';
import { RequestChanges } from '../live/request-changes.service';
import { visibleRequestEvents } from '../live/request-events';
import { requestRow } from '../requests/request-row';
import { parisIso } from './paris-time';

const FILTERS = ['state', 'site', 'priority', 'slaBreached', 'waitingOnOperator', 'readingPool'] as const;

/**
 * The coordinator's pathway board (the filters of `GET /pathways`, live by server-sent events),
 * a pathway's timeline, and its actions (schedule, change, cancel) through the services and
 * helpers of the REST routes: same decisions, same Temporal Updates, same audit.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/coordinator')
export class CoordinatorConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly access: AccessService,
    private readonly requests: RequestService,
    private readonly changes: RequestChanges,
    @Inject(PROCEDURE_CATALOGUE) private readonly procedures: ProcedureCatalogue,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('pathways')
  @Access('request', 'search', { instance: true })
  async board(@Query() raw: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const rows = await this.rowsFor(raw, req);
    this.pages.page(req, res, 'coordinator/board', { ...this.filterModel(raw), ...rows, query: new URLSearchParams(this.present(raw)).toString() }, { titleKey: 'coordinator.board.title' });
  }

  @Get('pathways/rows')
  @Access('request', 'search', { instance: true })
  async rows(@Query() raw: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    this.pages.fragment(req, res, 'coordinator/partials/board-rows', { ...(await this.rowsFor(raw, req)), query: new URLSearchParams(this.present(raw)).toString() });
  }

  @Sse('pathways/events')
  @Access('request', 'search', { instance: true })
  events(@Req() req: ConsoleRequest): Observable<MessageEvent> {
    return visibleRequestEvents(this.changes, this.access, this.ds, req);
  }

  @Get('pathways/:id')
  @Access('request', 'read-metadata', { instance: true })
  async pathway(@Param('id') id: string, @Query('done') done: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const request = await visibleRequest(this.access, this.requests, req, id);
    const events = await asHttp(() => this.requests.timeline(id));
    const modalityAes = this.cfg.aes.filter((a) => (a.kind ?? 'modality') === 'modality');
    this.pages.page(
      req,
      res,
      'coordinator/pathway',
      {
        request: requestRow(request),
        events,
        done,
        canSchedule: request.state === 'received' || request.state === 'scheduled',
        open: !['closed', 'cancelled'].includes(request.state),
        sites: this.cfg.sites.map((s) => ({ id: s.id, name: s.name ?? s.id, selected: s.id === (request.scheduled?.site ?? request.targetSite) })),
        aes: modalityAes.map((a) => ({ aeTitle: a.aeTitle, site: a.site, selected: a.aeTitle === request.scheduled?.aeTitle })),
        priorities: ['routine', 'urgent', 'emergency'].map((p) => ({ value: p, checked: p === request.priority })),
        procedures: this.procedures.procedures.map((p) => ({ code: p.code, label: p.label, selected: p.code === request.procedure.code })),
      },
      { titleKey: 'coordinator.pathway.title', titleParams: { procedure: request.procedure.label ?? request.procedure.code } },
    );
  }

  @Post('pathways/:id/schedule')
  @Access('request', 'write', { instance: true })
  async schedule(@Param('id') id: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const slot = await checkDto(ScheduleRequestDto, { ...form, scheduledAt: parisIso(form.scheduledAt ?? '') }, ['site', 'aeTitle', 'scheduledAt']);
    await visibleRequest(this.access, this.requests, req, id, 'write');
    const who = req.principal!;
    await asHttp(() => this.requests.schedule(id, { ...slot, by: who.name, roles: who.roles }));
    res.set('HX-Redirect', `/console/coordinator/pathways/${id}?done=scheduled`).status(200).end();
  }

  @Post('pathways/:id/change')
  @Access('request', 'write', { instance: true })
  async change(@Param('id') id: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const change = await checkDto(ChangeRequestDto, form, ['priority', 'procedureCode', 'clinicalInformation']);
    await visibleRequest(this.access, this.requests, req, id, 'write');
    const who = req.principal!;
    await asHttp(() => this.requests.change(id, { ...change, by: who.name, roles: who.roles }));
    res.set('HX-Redirect', `/console/coordinator/pathways/${id}?done=changed`).status(200).end();
  }

  @Post('pathways/:id/cancel')
  @Access('request', 'write', { instance: true })
  async cancel(@Param('id') id: string, @Body() form: Record<string, string>, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const body = await checkDto(CancelRequestDto, form, ['reason']);
    await visibleRequest(this.access, this.requests, req, id, 'write');
    await asHttp(() => this.requests.cancel(id, req.principal!.name, body.reason ?? null));
    res.set('HX-Redirect', `/console/coordinator/pathways/${id}?done=cancelled`).status(200).end();
  }

  private present(raw: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(raw).filter(([k, v]) => (FILTERS as readonly string[]).includes(k) && v !== ''));
  }

  private async rowsFor(raw: Record<string, string>, req: ConsoleRequest) {
    const q = await checkDto(PathwayQueryDto, raw, FILTERS);
    const rows = await searchRequests(this.access, this.requests, req, { ...q, limit: 200 });
    return { rows: rows.map(requestRow), empty: rows.length === 0 };
  }

  private filterModel(raw: Record<string, string>) {
    const pools = [...new Set([...this.cfg.sites.map((s) => s.readingPool).filter(Boolean), ...this.cfg.users.flatMap((u) => u.pools ?? [])])] as string[];
    return {
      states: PATHWAY_STATES.map((s) => ({ value: s, selected: raw.state === s })),
      sites: this.cfg.sites.map((s) => ({ value: s.id, label: s.name ?? s.id, selected: raw.site === s.id })),
      priorities: ['routine', 'urgent', 'emergency'].map((p) => ({ value: p, selected: raw.priority === p })),
      pools: pools.map((p) => ({ value: p, selected: raw.readingPool === p })),
      slaBreached: raw.slaBreached === 'true',
      waitingOnOperator: raw.waitingOnOperator === 'true',
    };
  }
}
