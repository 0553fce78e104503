import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { ForwardJobService } from '@krypton/catalog';
import type { Request } from 'express';
import { Access, AccessService } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { RoutingDecisionStore } from '@krypton/routing';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { OperatorActionDto } from './operator-action.dto';
import { requireExam } from '../common/access-http';
import { destinationQueue, forwardOperatorAction } from './forward-operator';

/** Each destination's queue, what it waits for, and the operator's answers to routings that failed for good. */
@ApiTags('routing')
@ApiBearerAuth()
@Controller()
export class DestinationsController {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly jobs: ForwardJobService,
    private readonly decisions: RoutingDecisionStore,
    private readonly access: AccessService,
  ) {}

  @Get('destinations/:id/queue')
  @Access('routing', 'search')
  @ApiOperation({ summary: 'What waits for a destination and why (state, lastError), oldest first' })
  async queue(@Param('id') id: string) {
    return destinationQueue(this.cfg, this.jobs, id);
  }

  @Post('forwards/:id/actions')
  @HttpCode(200)
  @Access('routing', 'write')
  @ApiOperation({ summary: 'Retry, skip or reroute a routing waiting for an operator (a Temporal Update: 409 in any other state)' })
  async act(@Param('id') id: string, @Body() body: OperatorActionDto) {
    return forwardOperatorAction(this.cfg, this.temporal, id, body);
  }

  @Get('studies/:studyUid/routing')
  @Access('routing', 'read-metadata', { instance: true })
  @ApiOperation({ summary: 'Which protocol versions decided what for this study, each time it became stable' })
  async decisionsFor(@Param('studyUid') studyUid: string, @Req() req: Request) {
    // Where a study was sent says which exam it is: decided on the study, like its metadata (404 as if absent).
    await requireExam(this.access, req, 'read-metadata', 'study', { studyUid }, () => new NotFoundException(`no study ${studyUid}`), { routing: true });
    return this.decisions.forStudy(studyUid);
  }
}
