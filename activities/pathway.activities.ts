import { ApplicationFailure, Context } from '@temporalio/activity';
import type { KryptonConfig } from '@krypton/config';
import { findModalityAe, PathwayState, type PathwayStore, type ProcedureCatalogue, type RequestStore, type RequestView } from '@krypton/requests';
import { UNKNOWN_MODALITY_AE, type ExamIdentifiers, type PathwayTiming, type Priority, type ReportStatus } from '../workflows/pathway/exam-pathway.types';

export interface RecordIntakeInput {
  readonly requestId: string;
  readonly createdBy: string | null;
  readonly priority: string;
}

export interface ScheduleExamInput {
  readonly requestId: string;
  readonly site: string;
  readonly aeTitle: string;
  readonly scheduledAt: string;
  readonly by: string;
}

export interface CancelExamInput {
  readonly requestId: string;
  readonly by: string | null;
  readonly reason: string | null;
}

export interface ProgressInput {
  readonly requestId: string;
  readonly state: PathwayState;
  readonly step: string;
  readonly attention: string | null;
  readonly actor: string | null;
  readonly detail: unknown;
}

export interface SignReportActivityInput {
  readonly requestId: string;
  readonly by: string;
  readonly findings: string;
  readonly conclusion: string;
  readonly technique: string | null;
  /** Workflow time of the signature (deterministic, and what the report shows). */
  readonly signedAt: string;
}

/** Renders, stores and attaches the signed report (libs/reports); idempotent on `idemKey`. */
export interface ReportSigner {
  sign(input: SignReportActivityInput & { readonly idemKey: string }): Promise<{ reportId: string; version: number; sopInstanceUid: string | null }>;
}

/** Sends the report to the referrer's system; resolves on AA, throws otherwise. `null` destination: none configured for this request. */
export interface ResultSender {
  deliver(requestId: string, attempt: number): Promise<{ destination: string | null }>;
}

export interface PathwayActivities {
  /** Records the intake and answers the pathway's timing (waits fixed for this pathway from now on). */
  recordIntake(input: RecordIntakeInput): Promise<PathwayTiming>;
  /** Allocates accession number and Study Instance UID, records the slot, publishes the worklist item. */
  scheduleExam(input: ScheduleExamInput): Promise<ExamIdentifiers>;
  /**
   * Applies a change of the order to the request, its worklist item and its reading task (whose
   * deadline follows a new priority, counted from when the task opened).
   */
  changeRequest(input: { requestId: string; by: string; priority?: Priority; procedureCode?: string; clinicalInformation?: string }): Promise<{ priority: Priority; reading: { warnAt: string; dueAt: string } | null }>;
  /** A mirror-only step (acquisition progress, attention changes). */
  recordProgress(input: ProgressInput): Promise<void>;
  completeAcquisition(input: { requestId: string; studyUid: string; mppsSopInstanceUid: string | null; findings: readonly string[] }): Promise<void>;
  checkDose(input: { requestId: string; studyUid: string }): Promise<{ found: boolean }>;
  recordFinding(input: { requestId: string; kind: string; detail: unknown }): Promise<void>;
  /** Opens the reading task in the pool the procedure or site names; SLA deadlines from `openedAt` (workflow time). */
  openReadingTask(input: { requestId: string; priority: Priority; openedAt: string; doseFound: boolean }): Promise<{ pool: string; openedAt: string; warnAt: string; dueAt: string }>;
  claimReadingTask(input: { requestId: string; by: string }): Promise<void>;
  releaseReadingTask(input: { requestId: string; by: string; holder: string }): Promise<void>;
  recordSla(input: { requestId: string; kind: 'warning' | 'breach'; pool: string; dueAt: string; claimedBy: string | null }): Promise<void>;
  signReport(input: SignReportActivityInput): Promise<ReportStatus>;
  /** One delivery attempt (ORU^R01 until AA); the workflow retries with its own visible backoff. */
  deliverResults(input: { requestId: string; attempt: number }): Promise<{ destination: string | null }>;
  closePathway(input: { requestId: string }): Promise<void>;
  /** Removes the worklist item, withdraws the reading task and marks the request cancelled. */
  cancelExam(input: CancelExamInput): Promise<void>;
}

export interface PathwayDeps {
  readonly cfg: Pick<KryptonConfig, 'aes' | 'sites' | 'pathway'>;
  readonly store: PathwayStore;
  readonly requests: RequestStore;
  readonly procedures: ProcedureCatalogue;
  readonly reports: ReportSigner;
  readonly results: ResultSender;
}

/** Retries of one activity share its run id and activity id: that pair keys the timeline row. */
function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.workflowType}:${info.activityId}`;
}

const MINUTE = 60_000;

/** The request an activity works on; a missing one cannot appear by retrying (non-retryable). */
export async function requestOrFail(requests: Pick<RequestStore, 'get'>, requestId: string): Promise<RequestView> {
  const req = await requests.get(requestId);
  if (!req) throw ApplicationFailure.create({ type: 'RequestNotFound', message: `request ${requestId} does not exist`, nonRetryable: true });
  return req;
}

/** The pathway's side effects: each is one transaction in PostgreSQL (or an idempotent call) and safe to retry. */
export function createPathwayActivities({ cfg, store, requests, procedures, reports, results }: PathwayDeps): PathwayActivities {
  const mustGet = (requestId: string) => requestOrFail(requests, requestId);
  /** The reading deadline of a priority (the configured SLA) for a task opened at `openedAt`, and its warning. */
  const readingDeadlines = (priority: Priority, openedAt: number) => {
    const r = cfg.pathway.reading;
    const sla = r.slaMinutes[priority] * MINUTE;
    return { warnAt: new Date(openedAt + sla * r.warnAtFraction).toISOString(), dueAt: new Date(openedAt + sla).toISOString() };
  };

  return {
    async recordIntake({ requestId, createdBy, priority }) {
      await store.recordStep(requestId, idempotencyKey(), PathwayState.Received, 'intake', createdBy, { priority }, 'to-schedule');
      const p = cfg.pathway;
      return {
        mppsGraceMinutes: p.acquisition.mppsGraceMinutes,
        imagesGraceMinutes: p.acquisition.imagesGraceMinutes,
        doseWaitMinutes: p.dose.waitMinutes,
        dosePollMinutes: p.dose.pollMinutes,
        resultsRetryInitialSeconds: p.results.retryInitialSeconds,
        resultsRetryMaxSeconds: p.results.retryMaxSeconds,
      };
    },

    async scheduleExam({ requestId, site, aeTitle, scheduledAt, by }) {
      // The API checked already; the configuration may have changed since, and retrying cannot help.
      if (!findModalityAe(cfg, site, aeTitle)) {
        throw ApplicationFailure.create({ type: UNKNOWN_MODALITY_AE, message: `"${aeTitle}" is not a configured modality AE of site "${site}"`, nonRetryable: true });
      }
      return store.schedule({ requestId, idemKey: idempotencyKey(), site, aeTitle, scheduledAt, by });
    },

    async changeRequest({ requestId, by, priority, procedureCode, clinicalInformation }) {
      // An unknown code is taken and flagged, as at intake: a coordinator maps it later.
      const procedure = procedureCode === undefined ? undefined : (procedures.find(procedureCode) ?? { code: procedureCode.trim().toUpperCase(), unmapped: true as const });
      return store.changeRequest({
        requestId,
        idemKey: idempotencyKey(),
        by,
        ...(priority ? { priority } : {}),
        ...(procedure ? { procedure } : {}),
        ...(clinicalInformation !== undefined ? { clinicalInformation } : {}),
        deadline: (p, openedAt) => readingDeadlines(p, openedAt.getTime()),
      });
    },

    async recordProgress({ requestId, state, step, attention, actor, detail }) {
      await store.recordStep(requestId, idempotencyKey(), state, step, actor, detail, attention);
    },

    async completeAcquisition({ requestId, studyUid, mppsSopInstanceUid, findings }) {
      await store.completeAcquisition(requestId, idempotencyKey(), studyUid, mppsSopInstanceUid, findings);
    },

    async checkDose({ studyUid }) {
      return { found: await store.hasDose(studyUid) };
    },

    async recordFinding({ requestId, kind, detail }) {
      await store.recordFinding(requestId, idempotencyKey(), kind, detail);
    },

    async openReadingTask({ requestId, priority, openedAt }) {
      const req = await mustGet(requestId);
      const r = cfg.pathway.reading;
      const site = cfg.sites.find((s) => s.id === (req.scheduled?.site ?? req.targetSite));
      const known = new Set(r.pools.map((p) => p.id));
      const procedurePool = procedures.find(req.procedure.code)?.readingPool;
      // Protocol first (a specialised pool), then the site's own radiologists, then the region's pool.
      const pool = [procedurePool, site?.readingPool].find((p): p is string => Boolean(p && known.has(p))) ?? r.defaultPool;
      return store.openReadingTask({ requestId, idemKey: idempotencyKey(), pool, priority, openedAt, ...readingDeadlines(priority, Date.parse(openedAt)) });
    },

    async claimReadingTask({ requestId, by }) {
      await store.claimReadingTask(requestId, idempotencyKey(), by);
    },

    async releaseReadingTask({ requestId, by, holder }) {
      await store.releaseReadingTask(requestId, idempotencyKey(), by, holder);
    },

    async recordSla({ requestId, kind, pool, dueAt, claimedBy }) {
      await store.recordSla(requestId, idempotencyKey(), kind, { pool, dueAt, claimedBy });
    },

    async signReport(input) {
      const idemKey = idempotencyKey();
      const req = await mustGet(input.requestId);
      const report = await reports.sign({ ...input, idemKey });
      // Minimal sharing: the referrer (by RPPS) and the patient (by INS) may see the exam once reported.
      const grantees = [
        ...(req.referrer.rpps ? [{ grantee: `rpps:${req.referrer.rpps}`, reason: 'referrer' }] : []),
        ...(req.patient.ins ? [{ grantee: `ins:${req.patient.ins}`, reason: 'patient' }] : []),
      ];
      await store.markReported(input.requestId, idemKey, input.by, { reportId: report.reportId, version: report.version, sopInstanceUid: report.sopInstanceUid }, grantees);
      return { ...report, signedBy: input.by, signedAt: input.signedAt };
    },

    async deliverResults({ requestId, attempt }) {
      const out = await results.deliver(requestId, attempt);
      await store.recordStep(requestId, idempotencyKey(), PathwayState.ResultsDelivered, 'results-delivered', null, { destination: out.destination, attempt }, null);
      return out;
    },

    async closePathway({ requestId }) {
      await store.close(requestId, idempotencyKey());
    },

    async cancelExam({ requestId, by, reason }) {
      await store.cancel(requestId, idempotencyKey(), by, reason);
    },
  };
}
