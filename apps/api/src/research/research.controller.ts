import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { createReadStream, existsSync } from 'node:fs';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DEFAULT_OPTIONS, OPTION_DESCRIPTORS, parseOptionNames, UnknownDeidOptionError } from '@krypton/deid';
import { ProjectRecord, ResearchExtractor, ResearchProjectStore } from '@krypton/research';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import {
  approveUpdate,
  rejectUpdate,
  requestChangesUpdate,
  RESEARCH_ROLE_REFUSED,
  RESEARCH_WRONG_STATE,
  researchProjectQuery,
  researchProjectRef,
  researchProjectWorkflowId,
  resubmitUpdate,
} from '@krypton/workflows/research';
import { runWorkflowUpdate } from '../common/workflow-update';
import { AmendProjectDto, CohortDto, DecisionDto, SubmitProjectDto } from './research.dto';
import { RESEARCH_EXTRACTOR } from './research-extractor.provider';
import { ResearchProjects } from './research-projects.service';

@ApiTags('research')
@ApiBearerAuth()
@Controller('research')
export class ResearchController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly store: ResearchProjectStore,
    private readonly projects: ResearchProjects,
    @Inject(RESEARCH_EXTRACTOR) private readonly extractor: ResearchExtractor,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  @Post('cohort/count')
  @HttpCode(200)
  @Access('research', 'search')
  @ApiOperation({ summary: 'Counts of a cohort query (patients, studies, series, instances) — never identities' })
  async count(@Body() cohort: CohortDto) {
    return this.store.count(cohort);
  }

  @Post('projects')
  @Access('research', 'write')
  @ApiOperation({ summary: 'Submit a research project; it waits for the data-access committee' })
  async submit(@Body() body: SubmitProjectDto, @CurrentPrincipal() who: Principal) {
    const options = this.options(body.options);
    for (const [i, rule] of (body.pixelCleaning ?? []).entries()) {
      if (!rule.manufacturer && !rule.model && !rule.sopClassUid) throw new BadRequestException(`pixelCleaning[${i}]: name the device (manufacturer, model or sopClassUid)`);
    }
    const project = await this.store.create({ ...body, options, submittedBy: who.name }, researchProjectWorkflowId);
    await this.temporal.workflow.start(researchProjectRef, { workflowId: project.workflowId, taskQueue: this.taskQueue(), args: [{ projectId: project.id }] });
    return this.view(project);
  }

  @Get('projects')
  @Access('research', 'search')
  @ApiOperation({ summary: 'Research projects (a researcher sees their own)' })
  async list(@CurrentPrincipal() who: Principal) {
    return (await this.projects.list(who)).map((p) => this.summary(p));
  }

  @Get('projects/:id')
  @Access('research', 'read-metadata')
  @ApiOperation({ summary: 'One project: criteria, state, decisions, extraction counts done/quarantined/failed, audit trail' })
  async get(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return this.view(await this.readable(id, who));
  }

  @Post('projects/:id/approve')
  @HttpCode(200)
  @Access('research', 'administer')
  @ApiOperation({ summary: 'Approve (a Temporal Update of the project workflow); extraction starts' })
  async approve(@Param('id') id: string, @Body() body: DecisionDto, @CurrentPrincipal() who: Principal) {
    return this.update(id, (h) => h.executeUpdate(approveUpdate, { args: [{ by: who.name, roles: who.roles, note: body.note }] }));
  }

  @Post('projects/:id/reject')
  @HttpCode(200)
  @Access('research', 'administer')
  @ApiOperation({ summary: 'Reject the project' })
  async reject(@Param('id') id: string, @Body() body: DecisionDto, @CurrentPrincipal() who: Principal) {
    return this.update(id, (h) => h.executeUpdate(rejectUpdate, { args: [{ by: who.name, roles: who.roles, note: body.note }] }));
  }

  @Post('projects/:id/request-changes')
  @HttpCode(200)
  @Access('research', 'administer')
  @ApiOperation({ summary: 'Ask the researcher for changes' })
  async requestChanges(@Param('id') id: string, @Body() body: DecisionDto, @CurrentPrincipal() who: Principal) {
    return this.update(id, (h) => h.executeUpdate(requestChangesUpdate, { args: [{ by: who.name, roles: who.roles, note: body.note }] }));
  }

  @Post('projects/:id/resubmit')
  @HttpCode(200)
  @Access('research', 'write')
  @ApiOperation({ summary: 'Amend a project the committee asked changes for, and submit it again' })
  async resubmit(@Param('id') id: string, @Body() body: AmendProjectDto, @CurrentPrincipal() who: Principal) {
    const project = await this.readable(id, who);
    if (project.state !== 'changes-requested') throw new ConflictException(`project ${id} is "${project.state}": only a project with changes requested can be resubmitted`);
    await this.store.amend(id, who.name, { ...body, options: body.options ? this.options(body.options) : undefined });
    return this.update(id, (h) => h.executeUpdate(resubmitUpdate, { args: [{ by: who.name, roles: who.roles }] }));
  }

  @Get('projects/:id/archive')
  @Access('research', 'download')
  @ApiOperation({ summary: 'The delivery: a zip of the de-identified files and manifest.csv' })
  async archive(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Res() res: Response) {
    await this.download(id, who, res, this.extractor.archivePath(id), 'application/zip', `research-${id}.zip`, 'archive-downloaded');
  }

  @Get('projects/:id/manifest.csv')
  @Access('research', 'read-metadata')
  @ApiOperation({ summary: 'Manifest of the delivery: pseudonymous identifiers only' })
  async manifest(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Res() res: Response) {
    await this.download(id, who, res, this.extractor.manifestPath(id), 'text/csv; charset=utf-8', `research-${id}-manifest.csv`, 'manifest-downloaded');
  }

  private async download(id: string, who: Principal, res: Response, path: string, type: string, name: string, action: string): Promise<void> {
    const project = await this.readable(id, who);
    if (project.state !== 'completed' || !existsSync(path)) throw new ConflictException(`project ${id} is "${project.state}": its delivery is not ready`);
    await this.store.audit(id, null, { actor: who.name, action, state: project.state, door: 'REST' });
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    createReadStream(path).pipe(res);
  }

  private options(names?: string[]): string[] {
    try {
      const options = names === undefined ? [...DEFAULT_OPTIONS] : parseOptionNames(names);
      return options.map((o) => OPTION_DESCRIPTORS.find((d) => d.option === o)!.name);
    } catch (error) {
      if (error instanceof UnknownDeidOptionError) throw new BadRequestException(`options: ${error.message}`);
      throw error;
    }
  }

  private taskQueue(): string {
    return this.cfg.temporal.taskQueue;
  }

  private readable(id: string, who: Principal): Promise<ProjectRecord> {
    return this.projects.readable(id, who);
  }

  private summary(p: ProjectRecord) {
    return { id: p.id, title: p.title, state: p.state, submittedBy: p.submittedBy, counts: p.counts, createdAt: p.createdAt, links: { self: `/research/projects/${p.id}` } };
  }

  private view(p: ProjectRecord) {
    return this.projects.view(p);
  }

  /** Runs an Update and turns the workflow's refusals into HTTP statuses. */
  private async update(id: string, run: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>) {
    const project = await this.projects.find(id);
    const handle = this.temporal.workflow.getHandle(project.workflowId);
    await runWorkflowUpdate(handle, run, { roleRefused: RESEARCH_ROLE_REFUSED, wrongState: RESEARCH_WRONG_STATE, subject: `research project ${id}` });
    return { ...(await handle.query(researchProjectQuery)), links: { project: `/research/projects/${id}` } };
  }
}
