import { ConflictException, ForbiddenException, HttpException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { PathwayRefusedError, PathwayStateError, RequestNotFoundError, RequestValidationError } from '@krypton/requests';
import { PATHWAY_ROLE_REFUSED } from '../../../../workflows/pathway/exam-pathway.types';

/** The one mapping from the request service's typed errors to HTTP statuses; anything else is rethrown (500). */
export function toHttpError(e: unknown): unknown {
  if (e instanceof HttpException) return e;
  if (e instanceof RequestNotFoundError) return new NotFoundException(`id: ${e.message}`);
  if (e instanceof RequestValidationError) return new UnprocessableEntityException(e.message);
  if (e instanceof PathwayStateError) return new ConflictException(e.message);
  if (e instanceof PathwayRefusedError) return e.type === PATHWAY_ROLE_REFUSED ? new ForbiddenException(e.message) : new UnprocessableEntityException(e.message);
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
