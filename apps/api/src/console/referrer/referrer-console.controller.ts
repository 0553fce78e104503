import { Body, Controller, Get, Inject, MessageEvent, Param, Post, Query, Req, Res, Sse, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Access, accessContext, AccessService, identifierValues, userSubject } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { EquivalentExamFinder, PROCEDURE_CATALOGUE, ProcedureCatalogue, RequestService, type RequestView } from '@krypton/pathway';
import { ReportService } from '@krypton/reports';
import { asHttp } from '../../requests/request-http-errors';
import { searchRequests, visibleRequest } from '../../requests/request-roles';
import { ConsoleExceptionFilter } from '../console-exception.filter';
import { ConsolePages } from '../console-pages.service';
import type { ConsoleRequest } from '../console-request';
import { RequestChanges } from '../live/request-changes.service';
import { visibleRequestEvents } from '../live/request-events';
import { checkRequestForm, RequestForm } from './new-request.form';
import { requestRow, viewerUrl } from '../requests/request-row';

const INS = /^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/**
 * The referrer's screens: a new request (patient search among the requests the caller may see,
 * the procedure catalogue, the duplicate-exam warning before anything is stored), their requests
 * with live state (server-sent events), and an exam's results (report, PDF, images in the viewer).
 * Every call goes through the services and helpers of `POST /requests`, `GET /requests`,
 * `GET /requests/{id}` and `GET /requests/{id}/report`: same decisions, same audit.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/referrer')
export class ReferrerConsoleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly access: AccessService,
    private readonly requests: RequestService,
    private readonly reports: ReportService,
    private readonly equivalents: EquivalentExamFinder,
    private readonly changes: RequestChanges,
    @Inject(PROCEDURE_CATALOGUE) private readonly procedures: ProcedureCatalogue,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('requests/new')
  @Access('request', 'write')
  newRequest(@Req() req: ConsoleRequest, @Res() res: Response): void {
    const who = req.principal!;
    const form: RequestForm = { referrerName: who.name, referrerRpps: identifierValues(userSubject(who), 'rpps')[0], priority: 'routine' };
    this.pages.page(req, res, 'referrer/new-request', this.formModel(form, {}), { titleKey: 'referrer.new.title' });
  }

  /** Patients already known from the requests the caller may see, by INS, `issuer|value` or a bare identifier. */
  @Get('patients')
  @Access('request', 'search', { instance: true })
  async patients(@Query('q') q: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const text = (q ?? '').trim();
    const patient = !text ? null : INS.test(text) ? { ins: text } : text.includes('|') ? { localId: text } : { value: text };
    const rows = patient ? await searchRequests(this.access, this.requests, req, { patient, limit: 50 }) : [];
    const seen = new Map<string, RequestView>();
    for (const r of rows) {
      const key = r.patient.ins ?? r.patient.identifiers.map((i) => `${i.issuer}|${i.value}`).join(',');
      if (!seen.has(key)) seen.set(key, r);
    }
    this.pages.fragment(req, res, 'referrer/patient-results', { searched: !!patient, q: text, results: [...seen.values()].map((r) => ({ from: r.id, patient: r.patient })) });
  }

  /** The patient fieldset filled from a request the caller may read (audited as that read). */
  @Get('patients/:requestId')
  @Access('request', 'read-metadata', { instance: true })
  async patientFields(@Param('requestId') id: string, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const p = (await visibleRequest(this.access, this.requests, req, id)).patient;
    const local = p.identifiers[0];
    const form: RequestForm = {
      ins: p.ins ?? undefined,
      localId: local?.value,
      localIssuer: local?.issuer,
      familyName: p.familyName,
      givenName: p.givenName ?? undefined,
      birthDate: p.birthDate ? `${p.birthDate.slice(0, 4)}-${p.birthDate.slice(4, 6)}-${p.birthDate.slice(6, 8)}` : undefined,
      sex: p.sex ?? undefined,
    };
    this.pages.fragment(req, res, 'referrer/partials/patient-fields', this.formModel(form, {}));
  }

  /**
   * Checks the form with the API's rules; shows recent equivalent exams (the duplicate warning)
   * before storing anything unless the referrer has seen them and confirmed; then creates the
   * request exactly as `POST /requests` does and opens its page.
   */
  @Post('requests')
  @Access('request', 'write')
  async submit(@Body() form: RequestForm, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const checked = await checkRequestForm(form);
    if (!checked.dto) {
      this.pages.fragment(req, res, 'referrer/partials/request-form', this.formModel(form, checked.errors), 422);
      return;
    }
    const newRequest = checked.dto.toNewRequest(req.principal!.name);
    if (form.confirmDuplicate !== 'yes') {
      const procedure = this.procedures.find(newRequest.procedureCode);
      const found = await this.equivalents.find(randomUUID(), newRequest.patient, { modality: procedure?.modality ?? null, bodyPart: procedure?.bodyPart ?? null });
      if (found.length) {
        // The warning discloses the patient's other exams: recorded like any search that does.
        await this.access.recordSearch(
          accessContext(req),
          'request',
          found.map((e) => ({ patient: newRequest.patient.ins ?? null, study: e.studyInstanceUid })),
          { route: 'console/referrer/requests (duplicate warning)' },
        );
        this.pages.fragment(req, res, 'referrer/partials/request-form', { ...this.formModel(form, {}), duplicates: found });
        return;
      }
    }
    const created = await asHttp(() => this.requests.create(newRequest));
    res.set('HX-Redirect', `/console/referrer/requests/${created.id}?created=1`).status(201).end();
  }

  @Get('requests')
  @Access('request', 'search', { instance: true })
  async list(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const rows = await searchRequests(this.access, this.requests, req, { limit: 100 });
    this.pages.page(req, res, 'referrer/requests', { rows: rows.map(requestRow), empty: rows.length === 0 }, { titleKey: 'referrer.list.title' });
  }

  @Get('requests/rows')
  @Access('request', 'search', { instance: true })
  async rows(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const rows = await searchRequests(this.access, this.requests, req, { limit: 100 });
    this.pages.fragment(req, res, 'referrer/partials/request-rows', { rows: rows.map(requestRow), empty: rows.length === 0 });
  }

  /** Live state: the ids of the caller's requests as they change (server-sent events, no polling). */
  @Sse('requests/events')
  @Access('request', 'search', { instance: true })
  events(@Req() req: ConsoleRequest): Observable<MessageEvent> {
    return visibleRequestEvents(this.changes, this.access, this.ds, req);
  }

  @Get('requests/:id')
  @Access('request', 'read-metadata', { instance: true })
  async detail(@Param('id') id: string, @Query('created') created: string | undefined, @Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const request = await visibleRequest(this.access, this.requests, req, id);
    let report = null;
    if (['reported', 'results-delivered', 'closed'].includes(request.state)) {
      // The report's own decision (report read-metadata): a request visible is not yet a report shared.
      const d = await this.access.authorizeExam(accessContext(req), 'read-metadata', 'report', { requestId: id });
      if (d.allowed) report = await this.reports.getReport(id);
    }
    const study = request.acquiredStudyUid ?? (request.state === 'scheduled' || request.state === 'received' ? null : request.studyInstanceUid);
    this.pages.page(
      req,
      res,
      'referrer/request',
      { request: requestRow(request), report, pdf: report ? `/requests/${id}/report/pdf` : null, viewer: study ? viewerUrl(study) : null, created: created === '1' },
      { titleKey: 'referrer.request.title', titleParams: { procedure: request.procedure.label ?? request.procedure.code } },
    );
  }

  private formModel(form: RequestForm, errors: Record<string, string[]>) {
    const byModality = new Map<string, { code: string; label: string; selected: boolean }[]>();
    for (const p of this.procedures.procedures) {
      const list = byModality.get(p.modality) ?? [];
      list.push({ code: p.code, label: p.label, selected: p.code === form.procedureCode });
      byModality.set(p.modality, list);
    }
    return {
      form,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      procedureGroups: [...byModality].map(([modality, procedures]) => ({ modality, procedures })),
      sites: this.cfg.sites.map((s) => ({ id: s.id, name: s.name ?? s.id, selected: s.id === form.targetSite })),
      priorities: ['routine', 'urgent', 'emergency'].map((p) => ({ value: p, checked: (form.priority ?? 'routine') === p })),
      sexes: ['F', 'M', 'O', 'U'].map((s) => ({ value: s, selected: s === form.sex })),
    };
  }
}
