import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { acquisitionSignal, type AcquisitionEvent } from '@krypton/workflows/pathway';
import { AcquisitionStore, type MatchedRequest, type StudySummary, type UnmatchedView } from './acquisition.store';
import { isTerminal } from './pathway-state';
import { PathwayStateError, RequestNotFoundError, RequestValidationError } from './request-errors';
import type { RequestPatient, RequestPriority } from './new-request';
import { RequestService } from './request.service';
import type { CreatedRequest } from './request-view';
import type { StudyAttached, StudyAttachedListener } from './study-attached-listener';

export class MppsNotFoundError extends Error {
  constructor(public readonly sopInstanceUid: string) {
    super(`MPPS ${sopInstanceUid} is not (yet) stored`);
    this.name = 'MppsNotFoundError';
  }
}

/** What the matcher did with an event: useful to logs and tests. */
export type MatchOutcome = 'signalled' | 'unmatched' | 'ignored';

/** The placer system of requests registered from an unscheduled study; with the Study UID as order number, registration is idempotent. */
export const UNSCHEDULED_PLACER = 'KRYPTON-UNSCHEDULED';

export interface RegisterUnscheduled {
  readonly procedureCode: string;
  readonly priority: RequestPriority;
  readonly site: string | null;
  readonly by: string;
}

/**
 * Ties acquisitions to pathways: a stable study or an MPPS is matched to its request (Study
 * Instance UID, then accession number) and the pathway is signalled. Nothing is dropped: a study
 * from a modality that matches no request is listed for coordinators (attach, register as
 * unscheduled, dismiss), and so is an MPPS that matches none.
 *
 * Only studies sent by a configured modality AE count as acquisitions: studies arriving from
 * PACS, workstations or DICOMweb are archive traffic (sharing, prior exams) and would flood the
 * coordinators' list.
 */
@Injectable()
export class AcquisitionService {
  private readonly log = new Logger('Acquisition');
  private readonly attachedListeners: StudyAttachedListener[] = [];

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly store: AcquisitionStore,
    private readonly requests: RequestService,
  ) {}

  /** Adds a listener told of each study a coordinator ties to an exam (see StudyAttachedListener). */
  onStudyAttached(listener: StudyAttachedListener): void {
    this.attachedListeners.push(listener);
  }

  async onStudyStable(studyUid: string): Promise<MatchOutcome> {
    const study = await this.store.study(studyUid);
    if (!study) return 'ignored';
    const request = await this.store.matchStudy(study);
    if (request) return this.signal(request, { kind: 'study', studyUid, at: new Date().toISOString() });
    if (!this.modalityAe(study)) return 'ignored';
    await this.store.recordUnmatchedStudy(study);
    this.log.warn({ studyUid, accessionNumber: study.accessionNumber, sourceAe: study.sourceAe }, 'study matches no request');
    return 'unmatched';
  }

  async onMpps(sopInstanceUid: string): Promise<MatchOutcome> {
    const found = await this.store.matchMpps(sopInstanceUid);
    // The gateway adds the job just before its COMMIT: a missing row is most often not committed
    // yet. Failing the job makes BullMQ retry it with backoff; a row rolled back for good exhausts
    // the attempts and the job lands in the failed set.
    if (!found) throw new MppsNotFoundError(sopInstanceUid);
    if (!found.request) {
      this.log.warn({ sopInstanceUid, accessionNumber: found.mpps.accessionNumber }, 'MPPS matches no request');
      return 'unmatched';
    }
    return this.signal(found.request, { kind: 'mpps', sopInstanceUid, status: found.mpps.status, at: found.mpps.updatedAt });
  }

  listUnmatched(limit: number, offset: number): Promise<UnmatchedView> {
    return this.store.listUnmatched(limit, offset);
  }

  /**
   * A coordinator says which request an unmatched study belongs to (a modality that did not use
   * the worklist, a mistyped accession number).
   *
   * @throws RequestNotFoundError; RequestValidationError (`studyUid` not waiting in the list); PathwayStateError (pathway over).
   */
  async attach(studyUid: string, requestId: string, by: string): Promise<void> {
    const req = await this.requests.get(requestId);
    if (!req) throw new RequestNotFoundError(requestId);
    if (isTerminal(req.state)) throw new PathwayStateError(requestId, 'attach a study', req.state);
    if (!(await this.store.isUnmatched(studyUid))) throw new RequestValidationError('studyUid', `study ${studyUid} is not in the unmatched list`);
    await this.signal({ requestId, workflowId: req.workflowId, state: req.state }, { kind: 'study', studyUid, at: new Date().toISOString(), by });
    await this.store.resolveUnmatched(studyUid, 'attached', by, requestId);
    await this.tellAttached({ studyUid, requestId });
  }

  /**
   * Registers an unmatched study as an unscheduled exam: a request is created from the study's
   * patient (source `unscheduled`, order number = Study Instance UID, so a repeat creates nothing
   * new) and its pathway starts with the study already acquired.
   */
  async registerUnscheduled(studyUid: string, r: RegisterUnscheduled): Promise<CreatedRequest> {
    if (!(await this.store.isUnmatched(studyUid))) throw new RequestValidationError('studyUid', `study ${studyUid} is not in the unmatched list`);
    const study = (await this.store.study(studyUid))!;
    const created = await this.requests.create({
      source: 'unscheduled',
      placerSystem: UNSCHEDULED_PLACER,
      placerOrderNumber: studyUid,
      patient: patientOf(study),
      referrer: { name: study.referringPhysician?.replace(/\^+/g, ' ').trim() || 'unknown (unscheduled exam)' },
      procedureCode: r.procedureCode,
      priority: r.priority,
      targetSite: r.site ?? this.modalityAe(study)?.site ?? null,
    });
    await this.signal({ requestId: created.id, workflowId: created.workflowId, state: created.state }, { kind: 'study', studyUid, at: new Date().toISOString(), by: r.by });
    await this.store.resolveUnmatched(studyUid, 'registered-unscheduled', r.by, created.id);
    await this.tellAttached({ studyUid, requestId: created.id });
    return created;
  }

  /** The study is not an exam of the pathway (a test, a phantom): it leaves the list, the images stay archived. */
  async dismiss(studyUid: string, by: string): Promise<void> {
    if (!(await this.store.resolveUnmatched(studyUid, 'dismissed', by, null))) {
      throw new RequestValidationError('studyUid', `study ${studyUid} is not in the unmatched list`);
    }
  }

  /**
   * The study is tied to its exam by then, and the coordinator's action cannot be taken again (the
   * study left the unmatched list): a listener that fails is logged, not answered as the action's
   * failure.
   */
  private async tellAttached(attached: StudyAttached): Promise<void> {
    for (const listener of this.attachedListeners) {
      try {
        await listener.studyAttached(attached);
      } catch (e) {
        this.log.error({ ...attached, err: (e as Error).message }, 'a listener failed on a study tied to its exam');
      }
    }
  }

  /** The configured modality AE that sent the study, if it was one. */
  private modalityAe(study: StudySummary) {
    return this.cfg.aes.find((a) => a.kind === 'modality' && a.aeTitle === study.sourceAe);
  }

  private async signal(request: MatchedRequest, event: AcquisitionEvent): Promise<MatchOutcome> {
    if (isTerminal(request.state)) return 'ignored';
    try {
      await this.temporal.workflow.getHandle(request.workflowId).signal(acquisitionSignal, event);
    } catch (e) {
      // The pathway ended between the read and the signal: nothing left to tell it.
      if (e instanceof WorkflowNotFoundError) return 'ignored';
      throw e;
    }
    return 'signalled';
  }
}

/** The request's patient from the catalogue's: the DICOM PatientID with its issuer, and INS when the study carried it. */
function patientOf(s: StudySummary): RequestPatient {
  const [family, given] = (s.patientName ?? '').split('^');
  const sex = s.sex === 'M' || s.sex === 'F' || s.sex === 'O' ? s.sex : undefined;
  return {
    ...(s.ins ? { ins: s.ins } : {}),
    identifiers: [{ value: s.patientId, issuer: s.issuer || 'UNKNOWN' }],
    familyName: family?.trim() || 'UNKNOWN',
    ...(given?.trim() ? { givenName: given.trim() } : {}),
    ...(s.birthDate ? { birthDate: s.birthDate } : {}),
    ...(sex ? { sex } : {}),
  };
}
