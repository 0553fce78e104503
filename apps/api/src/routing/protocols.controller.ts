import { Body, Controller, Get, HttpCode, Inject, OnApplicationBootstrap, Param, Post, Put, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ProtocolStore } from '@krypton/routing';
import { protocolInput } from './protocol-body';
import { PublishDto } from './operator-action.dto';
import { ProtocolSimulation, protocolHttpError } from './protocol-simulation.service';
import { SimulateDto } from './simulate.dto';

/**
 * Inter-site protocols, designed by administrators: validate a draft, replay it on past traffic,
 * save it as a new version, publish a version. Reading is open to coordinators (they see why a
 * study went where); changing is for admins.
 */
@ApiTags('protocols')
@ApiBearerAuth()
@Controller('protocols')
export class ProtocolsController implements OnApplicationBootstrap {
  constructor(
    private readonly protocols: ProtocolStore,
    private readonly simulation: ProtocolSimulation,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  /** The files of config/protocols seed the store once; an invalid one stops the api with its issues. */
  async onApplicationBootstrap(): Promise<void> {
    await this.protocols.importDirectory(this.cfg.routing.protocolsDir);
  }

  @Post('validate')
  @HttpCode(200)
  @Access('routing', 'read-metadata')
  @ApiConsumes('application/yaml', 'application/json')
  @ApiOperation({ summary: 'Validate a protocol document: every error with its path (rules[0].match.timeWindow.from)' })
  validate(@Body() body: unknown) {
    const result = this.protocols.validate(protocolInput(body));
    return result.ok ? { valid: true, errors: [], protocol: result.protocol } : { valid: false, errors: result.issues };
  }

  @Post('simulate')
  @HttpCode(200)
  @Access('routing', 'read-metadata')
  @ApiOperation({ summary: 'Replay the catalogue of the last N days through a protocol: which study would have gone where' })
  async simulate(@Body() body: SimulateDto) {
    return this.simulation.run(body);
  }

  @Get()
  @Access('routing', 'search')
  @ApiOperation({ summary: 'Every protocol, latest version first' })
  list() {
    return this.protocols.list();
  }

  @Get(':id')
  @Access('routing', 'read-metadata')
  @ApiOperation({ summary: 'The versions of a protocol, newest first (live marks the published one)' })
  async versions(@Param('id') id: string) {
    return this.protocols.versions(id).catch(protocolHttpError);
  }

  @Put(':id')
  @HttpCode(201)
  @Access('routing', 'administer')
  @ApiConsumes('application/yaml', 'application/json')
  @ApiOperation({ summary: 'Save a new version (not live until published)' })
  async save(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    return this.protocols.save(id, protocolInput(body), who.name).catch(protocolHttpError);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Access('routing', 'administer')
  @ApiOperation({ summary: 'Make a version live; routings already started keep the version they started with' })
  async publish(@Param('id') id: string, @Body() body: PublishDto, @CurrentPrincipal() who: Principal) {
    if (body.version !== undefined && (!Number.isInteger(body.version) || body.version < 1)) throw new UnprocessableEntityException('version must be a positive integer');
    return this.protocols.publish(id, body.version, who.name).catch(protocolHttpError);
  }
}
