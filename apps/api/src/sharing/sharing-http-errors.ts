import { ConflictException, ForbiddenException, GoneException, HttpException, HttpStatus, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { LinkOpenRefusedError, SharingRefusedError } from '@krypton/sharing';

/** A sharing refusal as its HTTP answer: the status it carries, its message (naming the field). */
export function sharingHttpError(e: unknown): unknown {
  if (!(e instanceof SharingRefusedError)) return e;
  const body = { message: e.message, ...(e.field ? { field: e.field } : {}), ...(e instanceof LinkOpenRefusedError && e.attemptsLeft !== null ? { attemptsLeft: e.attemptsLeft } : {}) };
  switch (e.status) {
    case 403:
      return new ForbiddenException(body);
    case 404:
      return new NotFoundException(body);
    case 409:
      return new ConflictException(body);
    case 410:
      return new GoneException(body);
    case 422:
      return new UnprocessableEntityException(body);
    case 423:
      return new HttpException({ ...body, statusCode: HttpStatus.LOCKED, error: 'Locked' }, HttpStatus.LOCKED);
  }
}

/** Runs a sharing call and turns its refusal into the HTTP answer. */
export async function sharingCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw sharingHttpError(e);
  }
}
