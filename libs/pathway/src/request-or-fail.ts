import { ApplicationFailure } from '@temporalio/common';
import type { RequestStore } from './request.store';
import type { RequestView } from './request-view';

/**
 * The request an activity works on; a missing one cannot appear by retrying, so the failure is
 * non-retryable (the pathway's activities and their report and result adapters share it).
 */
export async function requestOrFail(requests: Pick<RequestStore, 'get'>, requestId: string): Promise<RequestView> {
  const req = await requests.get(requestId);
  if (!req) throw ApplicationFailure.create({ type: 'RequestNotFound', message: `request ${requestId} does not exist`, nonRetryable: true });
  return req;
}
