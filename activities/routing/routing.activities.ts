import type { KryptonConfig } from '@krypton/config';
import { findRoutingDestination } from '@krypton/config';
import { CompiledProtocol } from '@krypton/protocol';
import type { ProtocolStore, RoutingDecisionStore, StudyFactsReader } from '@krypton/routing';
import { decideDisclosure, type PatientOppositionStore } from '@krypton/access';
import type { ForwardJobService } from '@krypton/catalog';
import type { AcquisitionStore } from '@krypton/pathway';
import { log } from '@temporalio/activity';
import { protocolActor, routeWorkflowId, type PlannedRoute, type PlannedShare, type RoutingActivities } from '@krypton/workflows/routing';

export interface RoutingDeps {
  readonly cfg: KryptonConfig;
  readonly protocols: ProtocolStore;
  readonly facts: StudyFactsReader;
  readonly decisions: RoutingDecisionStore;
  readonly opposition: Pick<PatientOppositionStore, 'opposedStudies'>;
  /** Where a routing withheld by the patient's opposition is recorded, as `skipped` with the reason. */
  readonly jobs: Pick<ForwardJobService, 'withhold'>;
  /** The exam a study was acquired for, matched as the pathway matches it (for a protocol's fetchPriors). */
  readonly exams: Pick<AcquisitionStore, 'study' | 'matchStudy'>;
  /** Carries out a protocol's share (libs/sharing: grant, audit, notification). */
  readonly shares: { shareByProtocol(share: PlannedShare): Promise<{ shareId: string | null; withheld?: string }> };
}

export function createRoutingActivities({ cfg, protocols, facts, decisions, opposition, jobs, exams, shares }: RoutingDeps): RoutingActivities {
  return {
    async planRouting(studyUid, stableCount) {
      const study = await facts.forStudy(studyUid);
      if (!study) return { routes: [], fetchPriors: false, shares: [], priors: null };
      // A patient who objects to sharing (issue #11): the disclosure decision of libs/access says what may leave.
      const opposed = (await opposition.opposedStudies([studyUid])).length > 0;
      const routes: PlannedRoute[] = [];
      const planned: PlannedShare[] = [];
      let priorsBy: string | null = null;
      const seen = new Set<string>();
      for (const p of await protocols.live()) {
        const decided = new CompiledProtocol(p.document, cfg.dicom.timeZone).decide(study);
        const destinations = new Set<string>();
        for (const d of decided) {
          const origin = { protocolId: p.id, version: p.version, rule: d.rule };
          if (d.actions.fetchPriors) priorsBy ??= protocolActor(origin);
          // Shares are decided (opposition) and audited by libs/sharing when made, like a person's.
          for (const s of d.actions.share) planned.push({ studyUid, to: s.site !== undefined ? { site: s.site } : { pool: s.pool as string }, rights: s.rights, origin });
          for (const r of d.actions.route) {
            destinations.add(r.destination);
            const dest = findRoutingDestination(cfg, r.destination);
            // One copy per destination whichever protocols ask; a destination removed from the
            // configuration since publication is skipped here (the decision row keeps the request).
            if (!dest || seen.has(dest.name)) continue;
            seen.add(dest.name);
            const verdict = decideDisclosure('route', { opposed, fromSite: study.sourceSite, toSite: dest.site });
            if (!verdict.allowed) {
              // Shown on GET /studies/{uid}/forwards like any routing, as skipped with the reason.
              await jobs.withhold(routeWorkflowId(p.id, dest.name, studyUid), studyUid, dest.name, protocolActor(origin), origin, verdict.reason);
              log.info('routing withheld', { studyUid, destination: dest.name, reason: verdict.reason });
              continue;
            }
            routes.push({
              destination: dest.name,
              origin,
              commitment: dest.storageCommitment ?? false,
              parallel: Math.min(dest.associationsPerStudy ?? 1, dest.maxAssociations ?? 2),
              commitmentTimeoutMs: cfg.routing.commitmentTimeoutSeconds * 1000,
              initialRetryMs: cfg.forwarding.retryInitialSeconds * 1000,
              maxRetryMs: cfg.forwarding.retryMaxSeconds * 1000,
              giveUpAfterMs: cfg.forwarding.giveUpAfterHours * 3600_000,
            });
          }
        }
        if (decided.length)
          await decisions.record(
            studyUid,
            p.id,
            p.version,
            stableCount,
            decided.map((d) => d.rule),
            [...destinations],
            decided.some((d) => d.actions.fetchPriors),
          );
      }
      // The priors workflow decides on the opposition itself (and says so in its result), as for the pathway's searches.
      const summary = priorsBy ? await exams.study(studyUid) : null;
      const request = summary ? await exams.matchStudy(summary) : null;
      if (priorsBy && !request) log.info('fetchPriors: no exam request for the study, nothing to attach priors to', { studyUid });
      return { routes, fetchPriors: priorsBy !== null, shares: planned, priors: request && priorsBy ? { requestId: request.requestId, requestedBy: priorsBy } : null };
    },

    async shareByProtocol(share) {
      const made = await shares.shareByProtocol(share);
      if (made.withheld) log.info('protocol share withheld', { studyUid: share.studyUid, to: share.to, reason: made.withheld });
      return made;
    },
  };
}
