/**
 * The study lifecycle's contract: its input and status, the signal the ingest pipeline sends when a
 * study goes quiet, its query, its workflow id and the activities it calls. Imports nothing but
 * `@temporalio/workflow`; code outside this folder reaches it as `@krypton/workflows/study`.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface StudyLifecycleInput {
  readonly studyUid: string;
  /** Carried across continue-as-new. */
  readonly stableCount?: number;
}

export interface StudyStableEvent {
  /** ISO time the stability was detected (by the ingest queue, not the workflow clock). */
  readonly at: string;
}

export interface StudyLifecycleStatus {
  readonly studyUid: string;
  readonly stableCount: number;
  readonly lastStableAt: string | null;
}

// ---- Signal, query, workflow id

/** Sent with signalWithStart by the ingest pipeline each time the study goes quiet. */
export const studyStableSignal = defineSignal<[StudyStableEvent]>('studyStable');
export const studyStatusQuery = defineQuery<StudyLifecycleStatus>('status');

export function studyWorkflowId(studyUid: string): string {
  return `study-${studyUid}`;
}

// ---- How code outside workflows/ starts the workflow

export type StudyLifecycleWorkflow = (input: StudyLifecycleInput) => Promise<void>;

/** Typed reference to start the workflow (signalWithStart); its name is the workflow type recorded in histories (see workflows/contracts.spec.ts). */
export const studyLifecycleRef: StudyLifecycleWorkflow = function studyLifecycleWorkflow() {
  throw new Error('studyLifecycleWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/study)

export interface CatalogActivities {
  markStudyStable(studyUid: string): Promise<void>;
}
