import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { StudyLifecycleStatus, StudyStableEvent } from './study-lifecycle.types';

/** Sent with signalWithStart by the ingest pipeline each time the study goes quiet. */
export const studyStableSignal = defineSignal<[StudyStableEvent]>('studyStable');
export const studyStatusQuery = defineQuery<StudyLifecycleStatus>('status');

export function studyWorkflowId(studyUid: string): string {
  return `study-${studyUid}`;
}
