import { ApplicationFailure } from '@temporalio/activity';
import type { KryptonConfig } from '@krypton/config';
import { buildOruR01, MllpSendError, OruInputError, placerSystemParts, sendMllp, type OruTemplate } from '@krypton/hl7';
import type { ReportService } from '@krypton/reports';
import { requestOrFail, type RequestStore } from '@krypton/pathway';
import type { ResultSender } from './pathway.activities';

/**
 * MSH-10 of a report version's ORU: the same for every attempt (a receiver whose ACK was lost
 * recognises the resend), at most 20 characters (ST(20)).
 */
export function oruControlId(reportId: string, version: number): string {
  return `KR${reportId.replace(/-/g, '').slice(0, 14)}V${version}`.slice(0, 20);
}

/**
 * One ORU^R01 attempt to the referrer's system named by the request's placer system. AA (or a
 * commit ACK CA) is delivery; AE/AR and transport failures throw, and the pathway workflow tries
 * again with its own visible backoff. No destination configured for the placer system: nothing to
 * send (the report is available by REST), `destination: null`.
 */
export function resultSender(cfg: Pick<KryptonConfig, 'pathway' | 'hl7'>, requests: RequestStore, reports: ReportService, template: OruTemplate): ResultSender {
  const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
  return {
    async deliver(requestId) {
      const req = await requestOrFail(requests, requestId);
      const dest = cfg.pathway.results.destinations.find((d) => d.placerSystem === req.placerSystem);
      if (!dest) return { destination: null };
      const report = await reports.getReport(requestId);
      if (!report) throw fail('ReportNotFound', `request ${requestId} has no signed report`);
      const receiver = placerSystemParts(req.placerSystem);
      let message: string;
      try {
        message = buildOruR01(
          {
            messageControlId: oruControlId(report.id, report.version),
            sendingApplication: cfg.hl7.application,
            sendingFacility: cfg.hl7.facility,
            receivingApplication: receiver.application,
            receivingFacility: dest.facility ?? receiver.facility,
            patient: req.patient,
            ...(req.placerOrderNumber ? { placerOrderNumber: req.placerOrderNumber } : {}),
            fillerOrderNumber: req.accessionNumber ?? '',
            procedure: { code: req.procedure.code, label: req.procedure.label },
            referrer: req.referrer,
            observationDateTime: req.scheduled?.at ?? report.signedAt,
            report: { status: report.version > 1 ? 'C' : 'F', findings: report.findings, conclusion: report.conclusion, radiologist: { name: report.radiologist.name }, signedAt: report.signedAt },
            studyInstanceUid: report.studyInstanceUid,
          },
          { template },
        );
      } catch (e) {
        if (e instanceof OruInputError) throw fail('OruInputError', e.message);
        throw e;
      }
      const where = `${dest.placerSystem} (${dest.host}:${dest.port})`;
      try {
        const ack = await sendMllp(dest.host, dest.port, message, { timeoutMs: cfg.pathway.results.ackTimeoutSeconds * 1000 });
        if (ack.code === 'AA' || ack.code === 'CA') return { destination: where };
        throw fail('Hl7NegativeAck', `${where} answered ${ack.code}${ack.text ? `: ${ack.text}` : ''}`);
      } catch (e) {
        if (e instanceof MllpSendError) throw fail(e.name, `${where}: ${e.message}`);
        throw e;
      }
    },
  };
}
