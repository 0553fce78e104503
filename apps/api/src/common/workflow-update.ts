import { ConflictException, ForbiddenException, UnprocessableEntityException } from '@nestjs/common';
import { ApplicationFailure, WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';

/** The failure types by which a workflow's Update validators refuse a caller's role or a step out of order. */
export interface UpdateRefusals {
  readonly roleRefused: string;
  readonly wrongState: string;
  /** Said when the workflow has ended, e.g. "dose alert 42". */
  readonly subject: string;
}

/**
 * Runs an Update and turns the workflow's refusals into HTTP statuses: a refused role is 403, a
 * step out of order or an ended workflow 409, any other validation failure 422.
 */
export async function runWorkflowUpdate(handle: WorkflowHandle, run: (h: WorkflowHandle) => Promise<unknown>, refusals: UpdateRefusals): Promise<void> {
  try {
    await run(handle);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) throw new ConflictException(`${refusals.subject} has no running workflow (already closed?)`);
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      if (e.cause.type === refusals.roleRefused) throw new ForbiddenException(e.cause.message);
      if (e.cause.type === refusals.wrongState) throw new ConflictException(e.cause.message);
      throw new UnprocessableEntityException(e.cause.message);
    }
    throw e;
  }
}
