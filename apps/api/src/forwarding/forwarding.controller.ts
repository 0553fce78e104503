import { Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, UnprocessableEntityException } from '@nestjs/common';
import type { Request } from 'express';
import { Access, accessContext, AccessService, auditPatientKey, decideDisclosure, PatientOppositionStore } from '@krypton/access';
import { requireExam } from '../common/access-http';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { CatalogService, ForwardJobService } from '@krypton/catalog';
import { findRoutingDestination, KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
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
    private readonly access: AccessService,
    private readonly opposition: PatientOppositionStore,
  ) {}

  @Access('study', 'send', { instance: true })
  @Post('studies/:studyUid/send')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send every instance of a study to a configured destination, durably (a Temporal workflow)' })
  async send(@Param('studyUid') studyUid: string, @Body() body: SendStudyDto, @CurrentPrincipal() who: Principal, @Req() req: Request) {
    if (!isValidUid(studyUid)) throw new UnprocessableEntityException(`studyUid: "${studyUid}" is not a valid DICOM UID`);
    const dest = findRoutingDestination(this.cfg, body.destination);
    if (!dest) throw new UnprocessableEntityException(`destination: unknown destination "${body.destination}"`);
    const decided = await requireExam(this.access, req, 'send', 'study', { studyUid }, () => new NotFoundException(`study ${studyUid} is not in the catalogue`), { destination: dest.name });
    // A hand-made copy to another site is a disclosure like a protocol's route: the patient's
    // opposition refuses it (issue #11); a copy within one of the exam's own sites is not one.
    const sites = decided.facts?.sites ?? [];
    const opposed = (await this.opposition.opposedStudies([studyUid])).length > 0;
    const verdict = decideDisclosure('route', { opposed, fromSite: sites.includes(dest.site) ? dest.site : (sites[0] ?? null), toSite: dest.site });
    if (!verdict.allowed) {
      await this.access.record(accessContext(req), {
        action: 'send',
        outcome: 'denied',
        resourceType: 'study',
        patients: decided.facts ? auditPatientKey(decided.facts) : [],
        studies: [studyUid],
        reason: verdict.reason,
        detail: { destination: dest.name },
      });
      throw new ConflictException(verdict.reason);
    }
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
            parallel: Math.min(dest.associationsPerStudy ?? 1, dest.maxAssociations ?? 2),
          },
        ],
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
    return { id: workflowId, studyUid, destination: dest.name, links: { progress: `/forwards/${encodeURIComponent(workflowId)}` } };
  }

  @Access('study', 'read-metadata', { instance: true })
  @Get('forwards/:id')
  @ApiOperation({ summary: 'Progress and last error of a forwarding' })
  async progress(@Param('id') id: string, @Req() req: Request) {
    const mirror = await this.jobs.get(id);
    // Before the mirror row exists, the workflow id still names the study (forwardWorkflowId).
    const studyUid = mirror?.studyUid ?? id.match(/-((?:\d+\.)+\d+)-/)?.[1] ?? null;
    // A forwarding tells which study went where: readable by whoever may see the study.
    await requireExam(this.access, req, 'read-metadata', 'study', { studyUid }, () => new NotFoundException(`no forwarding ${id}`), { forward: id });
    let live: unknown = null;
    try {
      live = await this.temporal.workflow.getHandle(id).query(forwardProgressQuery);
    } catch {
      // Not started yet, or no worker to answer: the database mirror still tells the story.
    }
    if (!mirror && !live) throw new NotFoundException(`no forwarding ${id}`);
    return { id, ...(mirror ?? {}), workflow: live };
  }

  @Access('study', 'read-metadata', { instance: true })
  @Get('studies/:studyUid/forwards')
  @ApiOperation({ summary: 'Forwardings of a study' })
  async list(@Param('studyUid') studyUid: string, @Req() req: Request) {
    await requireExam(this.access, req, 'read-metadata', 'study', { studyUid }, () => new NotFoundException(`study ${studyUid} is not in the catalogue`));
    return this.jobs.listForStudy(studyUid);
  }
}
