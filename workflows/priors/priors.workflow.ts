import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import { priorsStatusQuery, type FindPriorsInput, type PriorsActivities, type PriorsStatus } from './contract';

// Database work and the site PACS queries (a PACS down is reported in the answer, not thrown): retried until done.
const acts = proxyActivities<Pick<PriorsActivities, 'findPriors' | 'markPriorFailed'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});
// One C-MOVE per attempt; a few attempts with backoff, then the prior is marked failed and the
// radiologist reads without it (a prior must never hold the reading back).
const fetchActs = proxyActivities<Pick<PriorsActivities, 'fetchPrior'>>({
  startToCloseTimeout: '15 minutes',
  retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 5 },
});
// The gateway acknowledged the instances; the index journal files them within seconds (minutes
// when PostgreSQL was down): polled by Temporal's retry, bounded.
const indexActs = proxyActivities<Pick<PriorsActivities, 'awaitPriorIndexed'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '500ms', backoffCoefficient: 1.5, maximumInterval: '10s' },
});

function reason(e: unknown): string {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  return cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
}

/**
 * An exam's priors: search (catalogue and site PACS), then fetch each prior held only at a site
 * PACS, one after the other (a site PACS is not a bulk server), each available once the catalogue
 * holds what the PACS sent. A prior that cannot be fetched is marked failed with the reason; the
 * others go on.
 */
export async function priorsWorkflow(input: FindPriorsInput): Promise<PriorsStatus> {
  let status: PriorsStatus = { requestId: input.requestId, state: 'searching', attached: 0, fetched: 0, failed: 0, sourceErrors: [] };
  setHandler(priorsStatusQuery, () => status);

  const found = await acts.findPriors(input);
  status = { ...status, state: 'fetching', attached: found.attached, sourceErrors: found.sourceErrors, ...(found.withheld ? { withheld: found.withheld } : {}) };
  for (const p of found.toFetch) {
    try {
      const moved = await fetchActs.fetchPrior({ requestId: input.requestId, studyUid: p.studyUid, source: p.source });
      await indexActs.awaitPriorIndexed({ requestId: input.requestId, studyUid: p.studyUid, expected: moved.completed });
      status = { ...status, fetched: status.fetched + 1 };
    } catch (e) {
      await acts.markPriorFailed({ requestId: input.requestId, studyUid: p.studyUid, error: reason(e) });
      status = { ...status, failed: status.failed + 1 };
    }
  }
  status = { ...status, state: 'done' };
  return status;
}
