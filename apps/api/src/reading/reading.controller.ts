import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@krypton/auth';
import { ReadingService, type Reader } from '@krypton/pathway';
import { asHttp } from '../requests/request-http-errors';
import { ReadingTaskQueryDto, ReportTextDto } from './reading.dto';

const reader = (p: Principal): Reader => ({ by: p.name, roles: p.roles, pools: p.pools });

/**
 * Remote reading: a radiologist's worklist (tasks of their pools, nearest deadline first), claim
 * and release (exclusive, answered at once by the pathway), the draft, and the signature.
 */
@ApiTags('reading')
@ApiBearerAuth()
@Controller('reading/tasks')
export class ReadingController {
  constructor(private readonly reading: ReadingService) {}

  @Get()
  @Roles('radiologist', 'coordinator', 'admin')
  @ApiOperation({ summary: "Reading tasks of the caller's pools (coordinators: of every pool), nearest deadline first" })
  async list(@Query() q: ReadingTaskQueryDto, @CurrentPrincipal() who: Principal) {
    const seesAll = who.roles.includes('coordinator') || who.roles.includes('admin');
    if (q.pool && !seesAll && !who.pools.includes(q.pool)) throw new ForbiddenException(`pool: ${who.name} does not read for pool "${q.pool}"`);
    const pools = q.pool ? [q.pool] : seesAll ? this.reading.poolIds() : who.pools;
    const tasks = await this.reading.list({ pools, state: q.state, claimedBy: q.mine === 'true' ? who.name : undefined, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    // Without a state filter the worklist is what is still to read.
    return q.state ? tasks : tasks.filter((t) => t.state === 'open' || t.state === 'claimed');
  }

  @Get(':requestId')
  @Roles('radiologist', 'coordinator', 'admin')
  @ApiOperation({ summary: 'One reading task with the exam, the clinical information and the saved draft' })
  async get(@Param('requestId') id: string) {
    return asHttp(() => this.reading.get(id));
  }

  @Post(':requestId/claim')
  @HttpCode(200)
  @Roles('radiologist')
  @ApiOperation({ summary: 'Claim the task (exclusive): 409 if another radiologist holds it, 403 outside your pools' })
  async claim(@Param('requestId') id: string, @CurrentPrincipal() who: Principal) {
    return asHttp(() => this.reading.claim(id, reader(who)));
  }

  @Post(':requestId/release')
  @HttpCode(200)
  @Roles('radiologist', 'coordinator', 'admin')
  @ApiOperation({ summary: 'Give the task back to its pool (the holder, or a coordinator)' })
  async release(@Param('requestId') id: string, @CurrentPrincipal() who: Principal) {
    return asHttp(() => this.reading.release(id, reader(who)));
  }

  @Put(':requestId/draft')
  @Roles('radiologist')
  @ApiOperation({ summary: 'Save the report draft (only the radiologist holding the task)' })
  async draft(@Param('requestId') id: string, @Body() body: ReportTextDto, @CurrentPrincipal() who: Principal) {
    return asHttp(() => this.reading.saveDraft(id, reader(who), body));
  }

  @Post(':requestId/sign')
  @HttpCode(200)
  @Roles('radiologist')
  @ApiOperation({ summary: 'Sign the report (text here, or the saved draft): answers once it is stored and attached to the study' })
  async sign(@Param('requestId') id: string, @Body() body: ReportTextDto, @CurrentPrincipal() who: Principal) {
    return asHttp(() => this.reading.sign(id, reader(who), body));
  }
}
