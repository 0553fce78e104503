import { ActivityFailure, ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { PATHWAY_INVALID_INPUT, PATHWAY_WRONG_STATE, UNKNOWN_MODALITY_AE } from '@krypton/workflows/pathway';
import { PathwayRefusedError, PathwayStateError, RequestValidationError } from './request-errors';

/**
 * Turns what Temporal answered to an Update into the typed error the doors map to their own
 * statuses. `currentState` reads the mirror for the message (only when needed).
 */
export async function pathwayRefusal(id: string, step: string, e: unknown, currentState: () => Promise<string>): Promise<unknown> {
  if (e instanceof WorkflowNotFoundError) return new PathwayStateError(id, step, await currentState(), `request ${id} has no running pathway`);
  if (!(e instanceof WorkflowUpdateFailedError)) return e;
  // A failed activity inside the handler arrives wrapped once more.
  const cause = e.cause instanceof ActivityFailure ? e.cause.cause : e.cause;
  if (!(cause instanceof ApplicationFailure)) return e;
  if (cause.type === PATHWAY_WRONG_STATE) return new PathwayStateError(id, step, await currentState(), cause.message);
  if (cause.type === UNKNOWN_MODALITY_AE) return new RequestValidationError('aeTitle', cause.message);
  if (cause.type === PATHWAY_INVALID_INPUT) {
    const field = (cause.details?.[0] as { field?: string } | undefined)?.field ?? step;
    return new RequestValidationError(field, cause.message);
  }
  return new PathwayRefusedError(id, step, cause.type ?? 'Refused', cause.message);
}
