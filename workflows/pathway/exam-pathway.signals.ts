import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelInput, PathwayStatus, ScheduleInput } from './exam-pathway.types';

/** An Update, not a signal: the coordinator learns at once whether the slot was accepted. */
export const scheduleUpdate = defineUpdate<PathwayStatus, [ScheduleInput]>('schedule');
/** A signal: cancellation also arrives from HL7 (ORC-1=CA), which cannot wait for an answer. */
export const cancelSignal = defineSignal<[CancelInput]>('cancel');
export const pathwayStatusQuery = defineQuery<PathwayStatus>('status');

/** Derived from the request id, so a resent request (same placer order number) never starts a second pathway. */
export function pathwayWorkflowId(requestId: string): string {
  return `pathway-${requestId}`;
}
