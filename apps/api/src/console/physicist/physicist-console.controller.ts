import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnprocessableEntityException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, AccessService } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { DoseAlertStore, ExhaustivenessService, ImageQualityService, PatientHistoryService, ProtocolStatsService } from '@krypton/dose-registry';
import { DoseAlertActions } from '../../dose/dose-alert-actions.service';
import { patientDoseHistory } from '../../dose/patient-dose-history';
import { AnalysisQueryDto } from '../../dose/dose-query.dto';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import { redirectAfterAction } from '../console-redirect';
import type { ConsoleRequest } from '../console-request';
import { FollowUpFormDto, ReviewFormDto } from './alert-answer.dto';
import { alertRows } from './dose-alerts.view-model';
import { trendChart, trendQuantity, type TrendMonth } from './dose-trend.view-model';
import { nrdPlots, QUANTITY_UNITS } from './nrd-plot.view-model';

/** The modalities the dose analyses filter on (AnalysisQueryDto). */
const DOSE_MODALITIES = ['CT', 'XA', 'DX', 'MG', 'NM'];

/**
 * The physicist's console: the same analyses, alert Updates and history decision (authorizeDose,
 * audited) as `/dose/...`. Plots are drawn by Chart.js from configurations built here; every plot
 * has its figures in a table beside it.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/physicist')
export class PhysicistConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly stats: ProtocolStatsService,
    private readonly exhaustiveness: ExhaustivenessService,
    private readonly quality: ImageQualityService,
    private readonly alerts: DoseAlertStore,
    private readonly actions: DoseAlertActions,
    private readonly history: PatientHistoryService,
    private readonly access: AccessService,
  ) {}

  @Get('dose')
  @Access('dose-analysis', 'search')
  async dose(@Query() q: AnalysisQueryDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const t = (key: string, params?: Record<string, unknown>) => this.pages.views.t(this.pages.frame(req), key, params);
    const [stats, missing, quality] = await Promise.all([this.stats.statistics(q), this.exhaustiveness.report({ site: q.site, limit: 50 }), this.quality.byProtocol(q)]);
    const plots = nrdPlots(stats, { nrd: t('physicist.dose.nrd'), vgd: t('physicist.dose.vgd'), axis: (unit) => t('physicist.dose.axis', { unit }) });
    const rows = stats.map((s) => ({
      ...s,
      trendHref: `/console/physicist/dose/trend?device=${encodeURIComponent(s.device)}${s.protocol === null ? '' : `&protocol=${encodeURIComponent(s.protocol)}`}`,
      unit: s.nrd ? QUANTITY_UNITS[s.nrd.quantity] : null,
    }));
    this.pages.page(
      req,
      res,
      'physicist/dose',
      { filter: q, modalities: DOSE_MODALITIES, plots, rows, exhaustiveness: missing, quality, noPlots: plots.length === 0 },
      { titleKey: 'physicist.dose.title' },
    );
  }

  @Get('dose/trend')
  @Access('dose-analysis', 'search')
  async trend(@Query('device') device: string | undefined, @Query('protocol') protocol: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    if (!device) throw new UnprocessableEntityException('device: choose a device × protocol row of the dose dashboard');
    const months = (await this.stats.trend(device, protocol ?? null, {})) as unknown as TrendMonth[];
    const row = (await this.stats.statistics({})).find((s) => s.device === device && s.protocol === (protocol ?? null));
    const quantity = trendQuantity(months, row?.nrd?.quantity ?? null);
    const t = (key: string) => this.pages.views.t(this.pages.frame(req), key);
    const chart = quantity ? trendChart(months, quantity, row?.nrd && row.nrd.quantity === quantity ? row.nrd.nrd : null, { median: t('physicist.trend.median'), nrd: t('physicist.dose.nrd') }) : null;
    this.pages.page(
      req,
      res,
      'physicist/trend',
      {
        device,
        protocol: protocol ?? null,
        label: row ? `${row.stationName ?? row.model ?? row.device} — ${row.protocol ?? '?'}` : device,
        months,
        chart,
        quantity,
        unit: quantity ? QUANTITY_UNITS[quantity] : null,
      },
      { titleKey: 'physicist.trend.title' },
    );
  }

  @Get('alerts')
  @Access('dose-alert', 'search')
  async alertQueue(@Query('state') state: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const wanted = state === 'all' ? undefined : ['open', 'reviewed', 'followed-up', 'closed'].includes(state ?? '') ? state : undefined;
    const rows = alertRows(await this.alerts.list({ state: wanted, limit: 200, offset: 0 }), (req.principal as Principal).roles);
    const shown = state === 'all' || wanted ? rows : rows.filter((r) => r.state !== 'closed');
    this.pages.page(req, res, 'physicist/alerts', { rows: shown, empty: shown.length === 0, state: state ?? 'pending' }, { titleKey: 'physicist.alerts.title' });
  }

  @Get('alerts/:id')
  @Access('dose-alert', 'read-metadata')
  async alert(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const alert = await this.actions.get(id);
    const [row] = alertRows([alert], (req.principal as Principal).roles);
    this.pages.page(req, res, 'physicist/alert', { alert: row, review: alert.review, followUp: alert.followUp, audit: alert.audit }, { titleKey: 'physicist.alert.title' });
  }

  @Post('alerts/:id/review')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  async review(@Param('id') id: string, @Body() body: ReviewFormDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.actions.review(id, req.principal as Principal, body);
    redirectAfterAction(req, res, `/console/physicist/alerts/${encodeURIComponent(id)}`);
  }

  @Post('alerts/:id/follow-up')
  @HttpCode(200)
  @Access('dose-alert', 'write')
  async followUp(@Param('id') id: string, @Body() body: FollowUpFormDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.actions.followUp(id, req.principal as Principal, body);
    redirectAfterAction(req, res, `/console/physicist/alerts/${encodeURIComponent(id)}`);
  }

  /** A patient's cumulative dose across sites: the same decision and audit as GET /patients/{key}/dose-history. */
  @Get('patients/:patientKey')
  @Access('dose-record', 'read-metadata', { instance: true })
  async patient(@Param('patientKey') raw: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const found = await patientDoseHistory(this.access, this.history, req, raw);
    this.pages.page(req, res, 'physicist/patient', { key: raw, ...found }, { titleKey: 'physicist.patient.title' });
  }
}
