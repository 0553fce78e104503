import { Context } from '@temporalio/activity';
import type { ResearchExtractor, ResearchProjectStore } from '@krypton/research';
import type { ResearchActivities } from '@krypton/workflows/research';

/** Retries of one activity share its run id and activity id: that pair is the audit row's key. */
function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.workflowType}:${info.activityId}`;
}

/**
 * The research project's side effects: the PostgreSQL mirror and audit trail, freezing the
 * cohort, batches of de-identification (heartbeating after each instance, so a dead worker is
 * noticed within the heartbeat timeout and the batch resumes from what was recorded), and the
 * delivery. Every step writes an audit row.
 */
export function createResearchActivities(store: ResearchProjectStore, extractor: ResearchExtractor): ResearchActivities {
  return {
    async recordResearchTransition({ projectId, state, action, actor, detail }) {
      await store.transition(projectId, idempotencyKey(), state, action, actor, detail);
    },
    async freezeResearchCohort(projectId) {
      return store.freeze(projectId);
    },
    async extractResearchBatch({ projectId, limit }) {
      const key = idempotencyKey();
      const progress = await extractor.extractBatch(
        projectId,
        limit,
        (n) => Context.current().heartbeat(n),
        (instanceFks) => store.auditExtraction(projectId, key, instanceFks),
      );
      const { remaining, ...counts } = progress;
      await store.audit(projectId, key, { actor: null, action: 'extraction-batch', state: 'extracting', detail: progress, door: 'workflow' });
      return { counts, remaining };
    },
    async deliverResearchProject(projectId) {
      return extractor.deliver(projectId);
    },
  };
}
