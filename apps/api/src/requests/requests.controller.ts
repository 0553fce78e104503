import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access, AccessService } from '@krypton/access';
import { PriorStore, RequestService } from '@krypton/pathway';
import { NewRequestDto } from './new-request.dto';
import { asHttp } from './request-http-errors';
import { withLinks } from './request-links';
import { RequestQueryDto } from './request-query.dto';
import { searchRequests, visibleRequest } from './request-roles';
import { CancelRequestDto, ChangeRequestDto, ScheduleRequestDto } from './schedule-request.dto';

@ApiTags('requests')
@ApiBearerAuth()
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly requests: RequestService,
    private readonly access: AccessService,
    private readonly priorStore: PriorStore,
  ) {}

  @Post()
  @Access('request', 'write')
  @ApiOperation({ summary: 'Submit an exam request; 201 with its id (200 with the same id when the placer order number was already received)' })
  async create(@Body() body: NewRequestDto, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response) {
    const created = await asHttp(() => this.requests.create(body.toNewRequest(who.name)));
    res.status(created.created ? 201 : 200).location(`/requests/${created.id}`);
    return withLinks(created);
  }

  @Get()
  @Access('request', 'search', { instance: true })
  @ApiOperation({ summary: 'Requests, newest first, filtered by accession number, placer order number, state, site, priority' })
  async list(@Query() q: RequestQueryDto, @Req() req: Request) {
    const rows = await searchRequests(this.access, this.requests, req, q);
    return rows.map(withLinks);
  }

  @Get(':id')
  @Access('request', 'read-metadata', { instance: true })
  @ApiOperation({ summary: 'One request with its state, accession number and Study Instance UID once scheduled' })
  async get(@Param('id') id: string, @Req() req: Request) {
    return withLinks(await visibleRequest(this.access, this.requests, req, id));
  }

  @Get(':id/priors')
  @Access('request', 'read-metadata', { instance: true })
  @ApiOperation({ summary: "The exam's relevant prior studies (catalogue and site PACS), most relevant first; the reading task shows the same list" })
  async priors(@Param('id') id: string, @Req() req: Request) {
    await visibleRequest(this.access, this.requests, req, id);
    return this.priorStore.list(id);
  }

  @Post(':id/schedule')
  @HttpCode(200)
  @Access('request', 'write', { instance: true })
  @ApiOperation({ summary: 'Assign site, modality AE and time (a Temporal Update): 409 if the request cannot be scheduled now, 422 for an unknown AE' })
  async schedule(@Param('id') id: string, @Body() body: ScheduleRequestDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await visibleRequest(this.access, this.requests, req, id, 'write');
    const { request } = await asHttp(() => this.requests.schedule(id, { ...body, by: who.name, roles: who.roles }));
    return withLinks(request);
  }

  @Patch(':id')
  @Access('request', 'write', { instance: true })
  @ApiOperation({ summary: 'Change priority, procedure code or clinical information until the report is signed (a Temporal Update): 409 afterwards' })
  async change(@Param('id') id: string, @Body() body: ChangeRequestDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await visibleRequest(this.access, this.requests, req, id, 'write');
    const { request } = await asHttp(() => this.requests.change(id, { ...body, by: who.name, roles: who.roles }));
    return withLinks(request);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Access('request', 'write', { instance: true })
  @ApiOperation({ summary: 'Cancel: pending steps stop and the worklist item disappears; the state becomes "cancelled" within moments' })
  async cancel(@Param('id') id: string, @Body() body: CancelRequestDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await visibleRequest(this.access, this.requests, req, id, 'write');
    const request = await asHttp(() => this.requests.cancel(id, who.name, body.reason ?? null));
    return { ...withLinks(request), cancelRequested: true };
  }
}
