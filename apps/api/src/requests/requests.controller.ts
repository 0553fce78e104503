import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@krypton/auth';
import { RequestService } from '@krypton/pathway';
import { SCHEDULE_ROLES } from '@krypton/workflows/pathway';
import { NewRequestDto } from './new-request.dto';
import { asHttp } from './request-http-errors';
import { withLinks } from './request-links';
import { RequestQueryDto } from './request-query.dto';
import { READ_ROLES, SUBMIT_ROLES, visibleRequest, visibleTo } from './request-roles';
import { CancelRequestDto, ChangeRequestDto, ScheduleRequestDto } from './schedule-request.dto';

@ApiTags('requests')
@ApiBearerAuth()
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestService) {}

  @Post()
  @Roles(...SUBMIT_ROLES)
  @ApiOperation({ summary: 'Submit an exam request; 201 with its id (200 with the same id when the placer order number was already received)' })
  async create(@Body() body: NewRequestDto, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const created = await asHttp(() => this.requests.create(body.toNewRequest(who.name)));
    res.status(created.created ? 201 : 200).location(`/requests/${created.id}`);
    return withLinks(created);
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Requests, newest first, filtered by accession number, placer order number, state, site, priority' })
  async list(@Query() q: RequestQueryDto, @CurrentPrincipal() who: Principal) {
    const rows = await this.requests.list({ ...q, visibleTo: visibleTo(who), limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return rows.map(withLinks);
  }

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'One request with its state, accession number and Study Instance UID once scheduled' })
  async get(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return withLinks(await visibleRequest(this.requests, id, who));
  }

  @Post(':id/schedule')
  @HttpCode(200)
  @Roles(...SCHEDULE_ROLES)
  @ApiOperation({ summary: 'Assign site, modality AE and time (a Temporal Update): 409 if the request cannot be scheduled now, 422 for an unknown AE' })
  async schedule(@Param('id') id: string, @Body() body: ScheduleRequestDto, @CurrentPrincipal() who: Principal) {
    const { request } = await asHttp(() => this.requests.schedule(id, { ...body, by: who.name, roles: who.roles }));
    return withLinks(request);
  }

  @Patch(':id')
  @Roles(...SUBMIT_ROLES)
  @ApiOperation({ summary: 'Change priority, procedure code or clinical information until the report is signed (a Temporal Update): 409 afterwards' })
  async change(@Param('id') id: string, @Body() body: ChangeRequestDto, @CurrentPrincipal() who: Principal) {
    await visibleRequest(this.requests, id, who);
    const { request } = await asHttp(() => this.requests.change(id, { ...body, by: who.name, roles: who.roles }));
    return withLinks(request);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Roles(...SUBMIT_ROLES)
  @ApiOperation({ summary: 'Cancel: pending steps stop and the worklist item disappears; the state becomes "cancelled" within moments' })
  async cancel(@Param('id') id: string, @Body() body: CancelRequestDto, @CurrentPrincipal() who: Principal) {
    await visibleRequest(this.requests, id, who);
    const request = await asHttp(() => this.requests.cancel(id, who.name, body.reason ?? null));
    return { ...withLinks(request), cancelRequested: true };
  }
}
