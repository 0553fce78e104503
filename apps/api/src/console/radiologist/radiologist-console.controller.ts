import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, AccessService } from '@krypton/access';
import type { Principal } from '@krypton/auth';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ReadingService } from '@krypton/pathway';
import { EditorTemplates } from '@krypton/reports';
import { requireExam } from '../../common/access-http';
import { reader } from '../../reading/reading.controller';
import { ReportTextDto } from '../../reading/reading.dto';
import { worklistPools } from '../../reading/reading-pools';
import { asHttp } from '../../requests/request-http-errors';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import { redirectAfterAction } from '../console-redirect';
import type { ConsoleRequest } from '../console-request';
import { priorStudies, reportEditorView } from './report-editor.view-model';
import { worklistRows } from './worklist.view-model';

const WORKLIST = '/console/radiologist/worklist';

/**
 * The radiologist's reading in the console: the same ReadingService, decisions (requireExam on the
 * reading task) and audit as `/reading/tasks`. Claim, release and sign are the pathway's Updates.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/radiologist')
export class RadiologistConsoleController {
  private readonly templates: EditorTemplates;

  constructor(
    private readonly pages: ConsolePages,
    private readonly reading: ReadingService,
    private readonly access: AccessService,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {
    // Read at start: a broken file stops the api naming the entry, as the report template does.
    this.templates = EditorTemplates.load(cfg.reports.templatesDir);
  }

  @Get('worklist')
  @Access('reading-task', 'search')
  async worklist(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const who = req.principal as Principal;
    const tasks = await this.reading.list({ pools: worklistPools(who, this.reading.poolIds(), undefined), limit: 200, offset: 0 });
    const rows = worklistRows(
      tasks.filter((t) => t.state === 'open' || t.state === 'claimed'),
      who,
      this.cfg.pathway.reading.pools,
      new Date(),
    );
    this.pages.page(
      req,
      res,
      'radiologist/worklist',
      { rows, empty: rows.length === 0, signed: typeof req.query.signed === 'string', pools: who.pools.map((id) => this.cfg.pathway.reading.pools.find((p) => p.id === id)?.name ?? id) },
      { titleKey: 'radiologist.worklist.title' },
    );
  }

  @Get('tasks/:requestId')
  @Access('reading-task', 'read-metadata', { instance: true })
  async editor(@Param('requestId') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.requireTask(req, id, 'read-metadata');
    const task = await asHttp(() => this.reading.getWithPriors(id));
    const view = reportEditorView(task, this.templates.forExam(task.procedure.code, task.procedure.modality), priorStudies(task.priors), (req.principal as Principal).name);
    this.pages.page(req, res, 'radiologist/editor', { ...view }, { titleKey: 'radiologist.editor.title', titleParams: { procedure: view.procedure } });
  }

  @Post('tasks/:requestId/claim')
  @HttpCode(200)
  @Access('reading-task', 'write', { instance: true })
  async claim(@Param('requestId') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.requireTask(req, id, 'write');
    await asHttp(() => this.reading.claim(id, reader(req.principal as Principal)));
    redirectAfterAction(req, res, `/console/radiologist/tasks/${encodeURIComponent(id)}`);
  }

  @Post('tasks/:requestId/release')
  @HttpCode(200)
  @Access('reading-task', 'write', { instance: true })
  async release(@Param('requestId') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.requireTask(req, id, 'write');
    await asHttp(() => this.reading.release(id, reader(req.principal as Principal)));
    redirectAfterAction(req, res, WORKLIST);
  }

  @Post('tasks/:requestId/draft')
  @HttpCode(200)
  @Access('reading-task', 'write', { instance: true })
  async draft(@Param('requestId') id: string, @Body() body: ReportTextDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.requireTask(req, id, 'write');
    await asHttp(() => this.reading.saveDraft(id, reader(req.principal as Principal), body));
    this.pages.fragment(req, res, 'radiologist/partials/saved', { at: new Date().toISOString() });
  }

  @Post('tasks/:requestId/sign')
  @HttpCode(200)
  @Access('report', 'write', { instance: true })
  async sign(@Param('requestId') id: string, @Body() body: ReportTextDto, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    await this.requireTask(req, id, 'write');
    await asHttp(() => this.reading.sign(id, reader(req.principal as Principal), body));
    redirectAfterAction(req, res, `${WORKLIST}?signed=${encodeURIComponent(id)}`);
  }

  /** The task's exam must be within the caller's exams, as on `/reading/tasks/{id}`: 404 otherwise. */
  private async requireTask(req: ConsoleRequest, id: string, action: 'read-metadata' | 'write'): Promise<void> {
    await requireExam(this.access, req, action, 'reading-task', { requestId: id }, () => new NotFoundException(`requestId: no reading task ${id}`));
  }
}
