import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AccessService } from '@krypton/access';
import { RequestService } from '@krypton/pathway';
import { asHttp } from './request-http-errors';
import { withLinks } from './request-links';
import { PathwayQueryDto } from './request-query.dto';
import { searchRequests, visibleRequest } from './request-roles';

/** The coordinator's view of a pathway, from the PostgreSQL mirror (never a scan of Temporal). */
@ApiTags('pathways')
@ApiBearerAuth()
@Controller('pathways')
export class PathwaysController {
  constructor(
    private readonly requests: RequestService,
    private readonly access: AccessService,
  ) {}

  @Get()
  @Access('request', 'search', { instance: true })
  @ApiOperation({
    summary: 'Pathways for coordinators, newest first: filter by state, site, priority, SLA breached, waiting on an operator, reading pool',
  })
  async list(@Query() q: PathwayQueryDto, @Req() req: Request) {
    const rows = await searchRequests(this.access, this.requests, req, q);
    return rows.map(withLinks);
  }

  @Get(':id/timeline')
  @Access('request', 'read-metadata', { instance: true })
  @ApiOperation({ summary: "Every step of a request's pathway with its time and actor, oldest first" })
  async timeline(@Param('id') id: string, @Req() req: Request) {
    await visibleRequest(this.access, this.requests, req, id);
    return { id, events: await asHttp(() => this.requests.timeline(id)) };
  }
}
