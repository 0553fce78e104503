import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access, AccessService } from '@krypton/access';
import { requireExam } from '../common/access-http';
import { ReadingService, type Reader } from '@krypton/pathway';
import { asHttp } from '../requests/request-http-errors';
import { ReadingTaskQueryDto, ReportTextDto } from './reading.dto';
import { worklistPools } from './reading-pools';

export const reader = (p: Principal): Reader => ({ by: p.name, roles: p.roles, pools: p.pools });

/**
 * Remote reading: a radiologist's worklist (tasks of their pools, nearest deadline first), claim
 * and release (exclusive, answered at once by the pathway), the draft, and the signature.
 */
@ApiTags('reading')
@ApiBearerAuth()
@Controller('reading/tasks')
export class ReadingController {
  constructor(
    private readonly reading: ReadingService,
    private readonly access: AccessService,
  ) {}

  /** The task's exam must be within the caller's exams (pool, site…): 404 otherwise, as if absent. */
  private async task(req: Request, id: string, action: 'read-metadata' | 'write'): Promise<void> {
    await requireExam(this.access, req, action, 'reading-task', { requestId: id }, () => new NotFoundException(`requestId: no reading task ${id}`));
  }

  @Get()
  @Access('reading-task', 'search')
  @ApiOperation({ summary: "Reading tasks of the caller's pools (coordinators: of every pool), nearest deadline first" })
  async list(@Query() q: ReadingTaskQueryDto, @CurrentPrincipal() who: Principal) {
    const pools = worklistPools(who, this.reading.poolIds(), q.pool);
    const tasks = await this.reading.list({ pools, state: q.state, claimedBy: q.mine === 'true' ? who.name : undefined, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    // Without a state filter the worklist is what is still to read.
    return q.state ? tasks : tasks.filter((t) => t.state === 'open' || t.state === 'claimed');
  }

  @Get(':requestId')
  @Access('reading-task', 'read-metadata', { instance: true })
  @ApiOperation({ summary: 'One reading task with the exam, the clinical information, the saved draft and the relevant priors' })
  async get(@Param('requestId') id: string, @Req() req: Request) {
    await this.task(req, id, 'read-metadata');
    return asHttp(() => this.reading.getWithPriors(id));
  }

  @Get(':requestId/priors')
  @Access('reading-task', 'read-metadata', { instance: true })
  @ApiOperation({ summary: "The exam's relevant prior studies, most relevant first (state available / to-fetch / fetching / failed)" })
  async priors(@Param('requestId') id: string, @Req() req: Request) {
    await this.task(req, id, 'read-metadata');
    return asHttp(() => this.reading.priors(id));
  }

  @Post(':requestId/claim')
  @HttpCode(200)
  @Access('reading-task', 'write', { instance: true })
  @ApiOperation({ summary: 'Claim the task (exclusive): 409 if another radiologist holds it, 403 outside your pools' })
  async claim(@Param('requestId') id: string, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await this.task(req, id, 'write');
    return asHttp(() => this.reading.claim(id, reader(who)));
  }

  @Post(':requestId/release')
  @HttpCode(200)
  @Access('reading-task', 'write', { instance: true })
  @ApiOperation({ summary: 'Give the task back to its pool (the holder, or a coordinator)' })
  async release(@Param('requestId') id: string, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await this.task(req, id, 'write');
    return asHttp(() => this.reading.release(id, reader(who)));
  }

  @Put(':requestId/draft')
  @Access('reading-task', 'write', { instance: true })
  @ApiOperation({ summary: 'Save the report draft (only the radiologist holding the task)' })
  async draft(@Param('requestId') id: string, @Body() body: ReportTextDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await this.task(req, id, 'write');
    return asHttp(() => this.reading.saveDraft(id, reader(who), body));
  }

  @Post(':requestId/sign')
  @HttpCode(200)
  @Access('report', 'write', { instance: true })
  @ApiOperation({ summary: 'Sign the report (text here, or the saved draft): answers once it is stored and attached to the study' })
  async sign(@Param('requestId') id: string, @Body() body: ReportTextDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    await this.task(req, id, 'write');
    return asHttp(() => this.reading.sign(id, reader(who), body));
  }
}
