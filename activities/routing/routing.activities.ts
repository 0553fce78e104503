import type { KryptonConfig } from '@krypton/config';
import { findRoutingDestination } from '@krypton/config';
import { CompiledProtocol } from '@krypton/protocol';
import type { ProtocolStore, RoutingDecisionStore, StudyFactsReader } from '@krypton/routing';
import type { PatientOppositionStore } from '@krypton/access';
import { log } from '@temporalio/activity';
import type { PlannedRoute, RoutingActivities } from '@krypton/workflows/routing';

export interface RoutingDeps {
  readonly cfg: KryptonConfig;
  readonly protocols: ProtocolStore;
  readonly facts: StudyFactsReader;
  readonly decisions: RoutingDecisionStore;
  readonly opposition: Pick<PatientOppositionStore, 'opposedStudies'>;
}

export function createRoutingActivities({ cfg, protocols, facts, decisions, opposition }: RoutingDeps): RoutingActivities {
  return {
    async planRouting(studyUid, stableCount) {
      const study = await facts.forStudy(studyUid);
      if (!study) return { routes: [], fetchPriors: false };
      // A patient who objects to sharing (issue #11): no copy leaves for another site, no prior is fetched from one.
      const opposed = (await opposition.opposedStudies([studyUid])).length > 0;
      const withheld: string[] = [];
      const routes: PlannedRoute[] = [];
      let fetchPriors = false;
      const seen = new Set<string>();
      for (const p of await protocols.live()) {
        const decided = new CompiledProtocol(p.document, cfg.dicom.timeZone).decide(study);
        const destinations = new Set<string>();
        for (const d of decided) {
          fetchPriors ||= d.actions.fetchPriors;
          for (const r of d.actions.route) {
            destinations.add(r.destination);
            const dest = findRoutingDestination(cfg, r.destination);
            // One copy per destination whichever protocols ask; a destination removed from the
            // configuration since publication is skipped here (the decision row keeps the request).
            if (!dest || seen.has(dest.name)) continue;
            if (opposed && dest.site !== study.sourceSite) {
              withheld.push(dest.name);
              continue;
            }
            seen.add(dest.name);
            routes.push({
              destination: dest.name,
              origin: { protocolId: p.id, version: p.version, rule: d.rule },
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
      if (withheld.length) log.info('routing withheld: the patient objects to sharing', { studyUid, destinations: withheld });
      return { routes, fetchPriors: fetchPriors && !opposed };
    },
  };
}
