import { defineQuery } from '@temporalio/workflow';
import type { ForwardProgress } from './forward-study.types';

export const forwardProgressQuery = defineQuery<ForwardProgress>('progress');

/** Deterministic per request: the caller passes a unique request id, so a resent POST is idempotent. */
export function forwardWorkflowId(studyUid: string, destination: string, requestId: string): string {
  return `forward-${destination}-${studyUid}-${requestId}`;
}
