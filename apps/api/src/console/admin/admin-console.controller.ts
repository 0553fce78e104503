import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ProtocolStore } from '@krypton/routing';
import { HealthService } from '../../health/health.service';
import { protocolInput } from '../../routing/protocol-body';
import { protocolHttpError, ProtocolSimulation } from '../../routing/protocol-simulation.service';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import { redirectAfterAction } from '../console-redirect';
import type { ConsoleRequest } from '../console-request';
import { configurationView } from './configuration.view-model';
import { healthView } from './health.view-model';
import { ProtocolFormDto, PublishFormDto } from './protocol-form.dto';

/**
 * The administrator's console: the configuration as read at start (sites, AEs, destinations,
 * users, pools are edited in the YAML: the hub has no API that changes them), the protocol editor
 * (validate, simulate, save, publish: the store and simulation of `/protocols`) and /health in words.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin')
export class AdminConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly protocols: ProtocolStore,
    private readonly simulation: ProtocolSimulation,
    private readonly health: HealthService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  @Get('configuration')
  @Access('administration', 'administer')
  configuration(@Req() req: ConsoleRequest, @Res() res: Response): void {
    this.pages.page(req, res, 'admin/configuration', { ...configurationView(this.cfg) }, { titleKey: 'admin.configuration.title' });
  }

  @Get('health')
  @Access('administration', 'administer')
  async healthPage(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    this.pages.page(req, res, 'admin/health', { ...healthView(await this.health.report()) }, { titleKey: 'admin.health.title' });
  }

  @Get('protocols')
  @Access('routing', 'administer')
  async protocolList(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const list = await this.protocols.list();
    this.pages.page(req, res, 'admin/protocols', { protocols: list, empty: list.length === 0 }, { titleKey: 'admin.protocols.title' });
  }

  @Get('protocols/:id')
  @Access('routing', 'administer')
  async protocol(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const versions = await this.protocols.versions(id).catch(protocolHttpError);
    this.pages.page(req, res, 'admin/protocol', { id, versions, source: versions[0].source, latest: versions[0] }, { titleKey: 'admin.protocol.title', titleParams: { id } });
  }

  @Post('protocols/:id/validate')
  @HttpCode(200)
  @Access('routing', 'administer')
  validate(@Param('id') id: string, @Body() body: ProtocolFormDto, @Req() req: ConsoleRequest, @Res() res: Response): void {
    const result = this.protocols.validate(protocolInput(body.source));
    const wrongId = result.ok && result.protocol.id !== id ? result.protocol.id : null;
    this.pages.fragment(req, res, 'admin/partials/validation', { valid: result.ok && !wrongId, issues: result.ok ? [] : result.issues, wrongId, id });
  }

  @Post('protocols/:id/simulate')
  @HttpCode(200)
  @Access('routing', 'administer')
  async simulate(@Param('id') id: string, @Body() body: ProtocolFormDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const result = await this.simulation.run({ protocol: body.source, days: body.days ?? 30, list: 50 });
    const rate = result.studiesEvaluated ? Math.round((result.studiesMatched / result.studiesEvaluated) * 100) : 0;
    const destinations = Object.entries(result.byDestination).map(([name, studies]) => ({ name, studies }));
    this.pages.fragment(req, res, 'admin/partials/simulation', { ...result, rate, destinations, id });
  }

  @Post('protocols/:id/save')
  @HttpCode(200)
  @Access('routing', 'administer')
  async save(@Param('id') id: string, @Body() body: ProtocolFormDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.protocols.save(id, protocolInput(body.source), (req.principal as Principal).name).catch(protocolHttpError);
    redirectAfterAction(req, res, `/console/admin/protocols/${encodeURIComponent(id)}`);
  }

  @Post('protocols/:id/publish')
  @HttpCode(200)
  @Access('routing', 'administer')
  async publish(@Param('id') id: string, @Body() body: PublishFormDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.protocols.publish(id, body.version, (req.principal as Principal).name).catch(protocolHttpError);
    redirectAfterAction(req, res, `/console/admin/protocols/${encodeURIComponent(id)}`);
  }
}
