import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The archive lifecycle's contract: input, plan and progress, signals, query, workflow id and the
 * activities it calls. Imports nothing but `@temporalio/workflow`; code outside this folder
 * reaches it as `@krypton/workflows/archive`. One workflow per study, id `archive-<StudyInstanceUID>`.
 */
export interface ArchiveStudyInput {
  readonly studyUid: string;
}

/** What the workflow learns from its planning activity (dates are ISO, null for never). */
export interface ArchiveStudyPlan {
  readonly tier: 'primary' | 'archive' | 'deleted';
  readonly legalHold: boolean;
  readonly tierAt: string | null;
  readonly deleteAt: string | null;
}

export type ArchiveStudyState = 'planning' | 'waiting' | 'tiering' | 'recalling' | 'deleting' | 'held' | 'deleted';

export interface ArchiveStudyProgress {
  readonly studyUid: string;
  readonly state: ArchiveStudyState;
  readonly plan: ArchiveStudyPlan | null;
  /** When the workflow wakes next by itself (ISO), null when it waits for a signal only. */
  readonly wakeAt: string | null;
}

/** A read reached the study on the archive tier: bring it back. */
export const recallSignal = defineSignal('recall');
/** Something the plan depends on changed (a hold set or cleared, the policy): plan again now. */
export const replanSignal = defineSignal('replan');
export const archiveProgressQuery = defineQuery<ArchiveStudyProgress>('progress');

export function archiveWorkflowId(studyUid: string): string {
  return `archive-${studyUid}`;
}

// ---- How code outside workflows/ starts the workflow

export type ArchiveStudyWorkflow = (input: ArchiveStudyInput) => Promise<'deleted' | 'gone'>;

/** Typed reference to start the workflow; its name is the workflow type recorded in histories (see workflows/contracts.spec.ts). */
export const archiveStudyRef: ArchiveStudyWorkflow = function archiveStudyWorkflow() {
  throw new Error('archiveStudyWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/archive, on libs/archive)

export interface ArchiveTierOutcome {
  readonly instances: number;
  readonly compressed: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface ArchiveActivities {
  planArchive(studyUid: string): Promise<ArchiveStudyPlan>;
  moveStudyToArchive(studyUid: string): Promise<ArchiveTierOutcome>;
  recallStudy(studyUid: string): Promise<{ instances: number }>;
  /** 'held' and 'not-due' leave the study as it is (the workflow plans again). */
  deleteStudyIfDue(studyUid: string): Promise<'deleted' | 'held' | 'not-due'>;
}
