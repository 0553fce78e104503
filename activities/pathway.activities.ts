import { ApplicationFailure, Context } from '@temporalio/activity';
import type { KryptonConfig } from '@krypton/config';
import { findModalityAe, PathwayState, type PathwayStore } from '@krypton/requests';
import { UNKNOWN_MODALITY_AE, type ExamIdentifiers } from '../workflows/pathway/exam-pathway.types';

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

export interface PathwayActivities {
  recordIntake(input: RecordIntakeInput): Promise<void>;
  /** Allocates accession number and Study Instance UID, records the slot, publishes the worklist item. */
  scheduleExam(input: ScheduleExamInput): Promise<ExamIdentifiers>;
  /** Removes the worklist item and marks the request cancelled. */
  cancelExam(input: CancelExamInput): Promise<void>;
}

export interface PathwayDeps {
  readonly cfg: Pick<KryptonConfig, 'aes' | 'sites'>;
  readonly store: PathwayStore;
}

/** Retries of one activity share its run id and activity id: that pair keys the timeline row. */
function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.workflowType}:${info.activityId}`;
}

/** The pathway's side effects: each is one transaction in PostgreSQL and safe to retry. */
export function createPathwayActivities({ cfg, store }: PathwayDeps): PathwayActivities {
  return {
    async recordIntake({ requestId, createdBy, priority }) {
      await store.recordStep(requestId, idempotencyKey(), PathwayState.Received, 'intake', createdBy, { priority });
    },

    async scheduleExam({ requestId, site, aeTitle, scheduledAt, by }) {
      // The API checked already; the configuration may have changed since, and retrying cannot help.
      if (!findModalityAe(cfg, site, aeTitle)) {
        throw ApplicationFailure.create({ type: UNKNOWN_MODALITY_AE, message: `"${aeTitle}" is not a configured modality AE of site "${site}"`, nonRetryable: true });
      }
      return store.schedule({ requestId, idemKey: idempotencyKey(), site, aeTitle, scheduledAt, by });
    },

    async cancelExam({ requestId, by, reason }) {
      await store.cancel(requestId, idempotencyKey(), by, reason);
    },
  };
}
