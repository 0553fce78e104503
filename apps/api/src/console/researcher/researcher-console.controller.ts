import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { ResearchProjects } from '../../research/research-projects.service';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import type { ConsoleRequest } from '../console-request';
import { projectRow } from './project.view-model';

/**
 * The researcher's console: their projects as `/research/projects` shows them (the same
 * ResearchProjects reads and ownership rule). Counts only, never identities. A project not yet
 * delivered or rejected refreshes its progress panel with htmx (every 2 s), so the page follows
 * the committee's decision and the extraction without being reloaded.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/researcher')
export class ResearcherConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly projects: ResearchProjects,
  ) {}

  @Get('projects')
  @Access('research', 'search')
  async list(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const rows = (await this.projects.list(req.principal as Principal)).map(projectRow);
    this.pages.page(req, res, 'researcher/projects', { rows, empty: rows.length === 0 }, { titleKey: 'researcher.projects.title' });
  }

  @Get('projects/:id')
  @Access('research', 'read-metadata')
  async project(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const view = await this.projects.view(await this.projects.readable(id, req.principal as Principal));
    this.pages.page(req, res, 'researcher/project', { project: view, row: projectRow(view) }, { titleKey: 'researcher.project.title', titleParams: { title: view.title } });
  }

  /** The progress panel alone: what htmx polls while the extraction moves. */
  @Get('projects/:id/progress')
  @Access('research', 'read-metadata')
  async progress(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const project = await this.projects.readable(id, req.principal as Principal);
    this.pages.fragment(req, res, 'researcher/partials/progress', { project, row: projectRow(project) });
  }
}
