import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@krypton/auth';
import { RequestService } from '@krypton/pathway';
import { asHttp } from './request-http-errors';
import { withLinks } from './request-links';
import { PathwayQueryDto } from './request-query.dto';
import { READ_ROLES, visibleRequest, visibleTo } from './request-roles';

/** The coordinator's view of a pathway, from the PostgreSQL mirror (never a scan of Temporal). */
@ApiTags('pathways')
@ApiBearerAuth()
@Controller('pathways')
export class PathwaysController {
  constructor(private readonly requests: RequestService) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary: 'Pathways for coordinators, newest first: filter by state, site, priority, SLA breached, waiting on an operator, reading pool',
  })
  async list(@Query() q: PathwayQueryDto, @CurrentPrincipal() who: Principal) {
    const rows = await this.requests.list({ ...q, visibleTo: visibleTo(who), limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return rows.map(withLinks);
  }

  @Get(':id/timeline')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: "Every step of a request's pathway with its time and actor, oldest first" })
  async timeline(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    await visibleRequest(this.requests, id, who);
    return { id, events: await asHttp(() => this.requests.timeline(id)) };
  }
}
