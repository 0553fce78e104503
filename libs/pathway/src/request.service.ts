import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client, UpdateDefinition, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { cancelSignal, changeRequestUpdate, examPathwayRef, pathwayWorkflowId, scheduleUpdate, type ChangeInput, type ExamPathwayInput, type PathwayStatus } from '@krypton/workflows/pathway';
import { pathwayRefusal } from './pathway-refusal';
import type { NewRequest } from './new-request';
import { isTerminal } from './pathway-state';
import { ProcedureCatalogue } from './procedure-catalogue';
import { PathwayStateError, RequestNotFoundError } from './request-errors';
import { checkNewRequest, checkScheduleSlot } from './request-rules';
import { RequestStore } from './request.store';
import { EquivalentExamFinder } from './equivalent-exams';
import type { CreatedRequest, PathwayEventView, RequestFilter, RequestView } from './request-view';

export const PROCEDURE_CATALOGUE = Symbol('PROCEDURE_CATALOGUE');

export interface ScheduleRequest {
  readonly site: string;
  readonly aeTitle: string;
  /** ISO 8601 with an offset. */
  readonly scheduledAt: string;
  readonly by: string;
  readonly roles: readonly string[];
}

/**
 * The one entry of exam requests, whichever door they came through (REST, FHIR, HL7), and the
 * coordinator's commands on their pathway. The request row is written first, then the pathway
 * workflow is started; both steps are idempotent, so a door that resends after a failure (Temporal
 * down, HL7 sender timing out) completes what the first attempt left half done.
 */
@Injectable()
export class RequestService {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(PROCEDURE_CATALOGUE) private readonly procedures: ProcedureCatalogue,
    private readonly store: RequestStore,
    private readonly equivalents: EquivalentExamFinder,
  ) {}

  /**
   * Stores the request and starts its pathway. With a placer order number, a resend (same placer
   * system and number) answers the first request with `created: false` and starts nothing new.
   * An unknown procedure code is accepted and flagged `procedure.unmapped`.
   *
   * @throws RequestValidationError naming the field (unknown target site, missing identifiers...).
   */
  async create(newRequest: NewRequest): Promise<CreatedRequest> {
    checkNewRequest(newRequest, this.cfg);
    const candidate = randomUUID();
    const createdBy = newRequest.placerSystem ?? null;
    const procedure = this.procedures.find(newRequest.procedureCode);
    const { id, inserted } = await this.store.insertOnce({
      id: candidate,
      workflowId: pathwayWorkflowId(candidate),
      request: newRequest,
      procedure,
      createdBy,
    });
    // Started on a resend too: if the first attempt stored the row but could not reach Temporal, this completes it.
    await this.startPathway({ requestId: id, priority: newRequest.priority, createdBy });
    // A warning, not a refusal: the referrer decides (the request is already stored).
    const recentEquivalentExams = await this.equivalents.find(id, newRequest.patient, { modality: procedure?.modality ?? null, bodyPart: procedure?.bodyPart ?? null });
    return { ...(await this.mustGet(id)), created: inserted, recentEquivalentExams };
  }

  async get(id: string): Promise<RequestView | null> {
    return this.store.get(id);
  }

  async list(filter: RequestFilter): Promise<RequestView[]> {
    return this.store.list(filter);
  }

  /** @throws RequestNotFoundError */
  async timeline(id: string): Promise<PathwayEventView[]> {
    await this.mustGet(id);
    return this.store.timeline(id);
  }

  /**
   * Asks the pathway to stop: pending steps end and the worklist item disappears. A signal, so
   * the answer is the request as it is now; its state becomes `cancelled` within moments.
   *
   * @throws RequestNotFoundError, PathwayStateError when the pathway has already ended.
   */
  async cancel(id: string, by: string, reason: string | null): Promise<RequestView> {
    const req = await this.mustGet(id);
    if (isTerminal(req.state)) throw new PathwayStateError(id, 'cancel', req.state);
    try {
      await this.temporal.workflow.getHandle(req.workflowId).signal(cancelSignal, { by, reason });
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new PathwayStateError(id, 'cancel', (await this.mustGet(id)).state, `request ${id} has no running pathway`);
      throw e;
    }
    return req;
  }

  /**
   * Assigns site, modality AE and time through a Temporal Update: the answer says at once whether
   * the pathway accepted it, with the accession number and Study Instance UID it allocated.
   *
   * @throws RequestNotFoundError; RequestValidationError (`site`, `aeTitle`); PathwayStateError
   *   (not waiting to be scheduled); PathwayRefusedError (role).
   */
  async schedule(id: string, slot: ScheduleRequest): Promise<{ request: RequestView; pathway: PathwayStatus }> {
    const req = await this.mustGet(id);
    const ae = checkScheduleSlot(this.cfg, slot.site, slot.aeTitle);
    if (isTerminal(req.state)) throw new PathwayStateError(id, 'schedule', req.state);
    const pathway = await this.updatePathway(req, 'schedule', scheduleUpdate, { by: slot.by, roles: slot.roles, site: slot.site, aeTitle: ae.aeTitle, scheduledAt: slot.scheduledAt });
    return { request: await this.mustGet(id), pathway };
  }

  /**
   * Changes the order in flight (priority, procedure code, clinical information) through a Temporal
   * Update: refused once the report is signed. A coordinator maps an unmapped procedure code this
   * way; the placer's system changes its order with HL7 ORC-1=XO.
   *
   * @throws RequestNotFoundError; RequestValidationError (a field); PathwayStateError; PathwayRefusedError (role).
   */
  async change(id: string, change: ChangeInput): Promise<{ request: RequestView; pathway: PathwayStatus }> {
    const req = await this.mustGet(id);
    if (isTerminal(req.state)) throw new PathwayStateError(id, 'change', req.state);
    const pathway = await this.updatePathway(req, 'change', changeRequestUpdate, change);
    return { request: await this.mustGet(id), pathway };
  }

  /**
   * Runs one Update of the request's pathway and answers the pathway's status, or the typed error
   * its refusal maps to (state, role, field), which every door turns into its own status.
   */
  async updatePathway<A>(req: Pick<RequestView, 'id' | 'workflowId'>, step: string, update: UpdateDefinition<PathwayStatus, [A]>, arg: A): Promise<PathwayStatus> {
    try {
      return await this.temporal.workflow.getHandle(req.workflowId).executeUpdate(update, { args: [arg] });
    } catch (e) {
      throw await this.refusal(req.id, step, e);
    }
  }

  private async startPathway(input: ExamPathwayInput): Promise<void> {
    try {
      await this.temporal.workflow.start(examPathwayRef, {
        workflowId: pathwayWorkflowId(input.requestId),
        taskQueue: this.cfg.temporal.taskQueue,
        // A closed (or cancelled) pathway must not be started again by a late resend of its order.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
  }

  async mustGet(id: string): Promise<RequestView> {
    const req = await this.store.get(id);
    if (!req) throw new RequestNotFoundError(id);
    return req;
  }

  private refusal(id: string, step: string, e: unknown): Promise<unknown> {
    return pathwayRefusal(id, step, e, async () => (await this.mustGet(id)).state);
  }
}
