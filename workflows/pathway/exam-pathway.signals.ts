import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AcquisitionEvent, CancelInput, ChangeInput, PathwayStatus, ReaderInput, ScheduleInput, SignInput } from './exam-pathway.types';

/** An Update, not a signal: the coordinator learns at once whether the slot was accepted. Also reschedules before acquisition. */
export const scheduleUpdate = defineUpdate<PathwayStatus, [ScheduleInput]>('schedule');
/** Priority, procedure or clinical information changed before the report is signed; the caller learns at once. */
export const changeRequestUpdate = defineUpdate<PathwayStatus, [ChangeInput]>('changeRequest');
/** A signal: cancellation also arrives from HL7 (ORC-1=CA), which cannot wait for an answer. */
export const cancelSignal = defineSignal<[CancelInput]>('cancel');
/** MPPS and study arrival, from the acquisition matcher (or a coordinator attaching a study). */
export const acquisitionSignal = defineSignal<[AcquisitionEvent]>('acquisition');
/** Exclusive: two radiologists claiming at once, exactly one gets the task; the other learns it at once. */
export const claimReadingUpdate = defineUpdate<PathwayStatus, [ReaderInput]>('claimReading');
export const releaseReadingUpdate = defineUpdate<PathwayStatus, [ReaderInput]>('releaseReading');
/** Answers once the report is stored and attached to the study. */
export const signReportUpdate = defineUpdate<PathwayStatus, [SignInput]>('signReport');
export const pathwayStatusQuery = defineQuery<PathwayStatus>('status');

/** Derived from the request id, so a resent request (same placer order number) never starts a second pathway. */
export function pathwayWorkflowId(requestId: string): string {
  return `pathway-${requestId}`;
}
