import { Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ForwardJobService } from '@krypton/catalog';
import type { Request } from 'express';
import { Access, AccessService } from '@krypton/access';
import { findRoutingDestination, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { RoutingDecisionStore } from '@krypton/routing';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { operatorActionUpdate, type OperatorAction } from '@krypton/workflows/routing';
import { OperatorActionDto } from './operator-action.dto';
import { requireExam } from '../common/access-http';

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
    const dest = findRoutingDestination(this.cfg, id);
    if (!dest) throw new NotFoundException(`no destination ${id}`);
    const waiting = await this.jobs.queue(dest.name);
    return {
      destination: dest.name,
      maxAssociations: dest.maxAssociations ?? 2,
      protocol: dest.protocol,
      storageCommitment: dest.storageCommitment ?? false,
      waiting: waiting.map((j) => ({ ...j, remaining: Math.max(0, j.total - j.sent - j.failed) })),
    };
  }

  @Post('forwards/:id/actions')
  @HttpCode(200)
  @Access('routing', 'write')
  @ApiOperation({ summary: 'Retry, skip or reroute a routing waiting for an operator (a Temporal Update: 409 in any other state)' })
  async act(@Param('id') id: string, @Body() body: OperatorActionDto) {
    let action: OperatorAction;
    if (body.action === 'reroute') {
      const dest = findRoutingDestination(this.cfg, body.destination as string);
      if (!dest) throw new UnprocessableEntityException(`destination: unknown destination "${body.destination}"`);
      action = { action: 'reroute', destination: dest.name };
    } else action = body.action === 'skip' ? { action: 'skip', reason: body.reason } : { action: 'retry' };
    const handle = this.temporal.workflow.getHandle(id);
    try {
      const progress = await handle.executeUpdate(operatorActionUpdate, { args: [action] });
      return { id, accepted: action, progress };
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError) throw new ConflictException(e.cause?.message ?? e.message);
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      // A closed workflow takes no Update: it exists but nothing waits for an operator any more.
      const run = await handle.describe().catch(() => null);
      if (run) throw new ConflictException(`routing ${id} is finished (${run.status.name.toLowerCase()})`);
      throw new NotFoundException(`no routing ${id}`);
    }
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
