import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { CatalogService, ForwardJobService } from '@krypton/catalog';
import { findDestination, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { isValidUid } from '@krypton/dicom-codec';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { destinationTaskQueue, forwardProgressQuery, forwardStudyRef, forwardWorkflowId } from '@krypton/workflows/routing';
import { SendStudyDto } from './send-study.dto';

@ApiTags('forwarding')
@ApiBearerAuth()
@Controller()
export class ForwardingController {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly catalog: CatalogService,
    private readonly jobs: ForwardJobService,
  ) {}

  @Post('studies/:studyUid/send')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send every instance of a study to a configured destination, durably (a Temporal workflow)' })
  async send(@Param('studyUid') studyUid: string, @Body() body: SendStudyDto, @CurrentPrincipal() who: Principal) {
    if (!isValidUid(studyUid)) throw new UnprocessableEntityException(`studyUid: "${studyUid}" is not a valid DICOM UID`);
    const dest = findDestination(this.cfg, body.destination);
    if (!dest) throw new UnprocessableEntityException(`destination: unknown destination "${body.destination}"`);
    const found = await this.catalog.locate({ studyUids: [studyUid] });
    if (found.length === 0) throw new NotFoundException(`study ${studyUid} is not in the catalogue`);
    const workflowId = forwardWorkflowId(studyUid, dest.name, body.requestId ?? randomUUID());
    try {
      await this.temporal.workflow.start(forwardStudyRef, {
        workflowId,
        taskQueue: this.cfg.temporal.taskQueue,
        args: [
          {
            studyUid,
            destination: dest.name,
            requestedBy: who.name,
            initialRetryMs: this.cfg.forwarding.retryInitialSeconds * 1000,
            maxRetryMs: this.cfg.forwarding.retryMaxSeconds * 1000,
            giveUpAfterMs: this.cfg.forwarding.giveUpAfterHours * 3600_000,
            // The destination's own queue and cap, like a protocol routing.
            sendQueue: destinationTaskQueue(this.cfg.temporal.taskQueue, dest.name),
            parallel: dest.maxAssociations ?? 2,
          },
        ],
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
    return { id: workflowId, studyUid, destination: dest.name, links: { progress: `/forwards/${encodeURIComponent(workflowId)}` } };
  }

  @Get('forwards/:id')
  @ApiOperation({ summary: 'Progress and last error of a forwarding' })
  async progress(@Param('id') id: string) {
    const mirror = await this.jobs.get(id);
    let live: unknown = null;
    try {
      live = await this.temporal.workflow.getHandle(id).query(forwardProgressQuery);
    } catch {
      // Not started yet, or no worker to answer: the database mirror still tells the story.
    }
    if (!mirror && !live) throw new NotFoundException(`no forwarding ${id}`);
    return { id, ...(mirror ?? {}), workflow: live };
  }

  @Get('studies/:studyUid/forwards')
  @ApiOperation({ summary: 'Forwardings of a study' })
  async list(@Param('studyUid') studyUid: string) {
    return this.jobs.listForStudy(studyUid);
  }
}
