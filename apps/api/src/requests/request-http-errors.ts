import { ConflictException, ForbiddenException, HttpException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { PathwayRefusedError, PathwayStateError, RequestNotFoundError, RequestValidationError } from '@krypton/pathway';
import { PATHWAY_ROLE_REFUSED, READING_TASK_TAKEN } from '@krypton/workflows/pathway';

/** The one mapping from the request service's typed errors to HTTP statuses; anything else is rethrown (500). */
export function toHttpError(e: unknown): unknown {
  if (e instanceof HttpException) return e;
  if (e instanceof RequestNotFoundError) return new NotFoundException(`id: ${e.message}`);
  if (e instanceof RequestValidationError) return new UnprocessableEntityException(e.message);
  if (e instanceof PathwayStateError) return new ConflictException(e.message);
  if (e instanceof PathwayRefusedError) {
    if (e.type === PATHWAY_ROLE_REFUSED) return new ForbiddenException(e.message);
    // Somebody else holds the reading task: the resource's state, not the request, is the problem.
    if (e.type === READING_TASK_TAKEN) return new ConflictException(e.message);
    return new UnprocessableEntityException(e.message);
  }
  return e;
}

/** Runs a service call and rethrows its typed errors as HTTP exceptions. */
export async function asHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toHttpError(e);
  }
}
