import { ApplicationFailure, Context } from '@temporalio/activity';
import type { KryptonConfig } from '@krypton/config';
import { findModalityAe, requestOrFail, type PathwayStore, type ProcedureCatalogue, type RequestStore } from '@krypton/pathway';
import { PathwayState, UNKNOWN_MODALITY_AE, type PathwayActivities, type Priority, type SignReportActivityInput } from '@krypton/workflows/pathway';

/** Renders, stores and attaches the signed report (libs/reports); idempotent on `idemKey`. */
export interface ReportSigner {
  sign(input: SignReportActivityInput & { readonly idemKey: string }): Promise<{ reportId: string; version: number; sopInstanceUid: string | null }>;
}

/** Sends the report to the referrer's system; resolves on AA, throws otherwise. `null` destination: none configured for this request. */
export interface ResultSender {
  deliver(requestId: string, attempt: number): Promise<{ destination: string | null }>;
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
        searchPriors: p.priors.enabled,
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
