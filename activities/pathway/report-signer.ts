import { ApplicationFailure } from '@temporalio/activity';
import type { KryptonConfig } from '@krypton/config';
import { ReportError, type ReportService } from '@krypton/reports';
import { requestOrFail, type RequestStore } from '@krypton/pathway';
import type { ReportSigner } from './pathway.activities';

/**
 * The pathway's signature step on libs/reports: the exam, patient and referrer come from the
 * request (the mirror), the report is filed in the study the pathway acquired. A report error
 * (bad input, template) cannot be cured by retrying and fails the Update at once; anything else
 * (database, disk, queue) is retried by Temporal.
 */
export function reportSigner(cfg: Pick<KryptonConfig, 'sites'>, requests: RequestStore, reports: ReportService): ReportSigner {
  return {
    async sign(input) {
      const req = await requestOrFail(requests, input.requestId);
      const studyInstanceUid = req.acquiredStudyUid ?? req.studyInstanceUid;
      if (!studyInstanceUid || !req.accessionNumber) {
        throw ApplicationFailure.create({ type: 'ReportInputError', message: `request ${req.id} has no study or accession number to file the report in`, nonRetryable: true });
      }
      const site = cfg.sites.find((s) => s.id === (req.scheduled?.site ?? req.targetSite));
      try {
        const signed = await reports.signReport({
          requestId: req.id,
          idemKey: input.idemKey,
          radiologist: { name: input.by },
          signedAt: input.signedAt,
          findings: input.findings,
          conclusion: input.conclusion,
          ...(input.technique ? { technique: input.technique } : {}),
          ...(req.clinicalInformation ? { clinicalInformation: req.clinicalInformation } : {}),
          exam: {
            accessionNumber: req.accessionNumber,
            studyInstanceUid,
            procedureCode: req.procedure.code,
            procedureLabel: req.procedure.label ?? req.procedure.code,
            site: site ? { name: site.name, ...(site.finess ? { finess: site.finess } : {}) } : { name: 'Krypton' },
          },
          patient: req.patient,
          referrer: req.referrer,
        });
        return { reportId: signed.reportId, version: signed.version, sopInstanceUid: signed.sopInstanceUid };
      } catch (e) {
        if (e instanceof ReportError) throw ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true });
        throw e;
      }
    },
  };
}
