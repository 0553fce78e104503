import { UnprocessableEntityException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

type Ctor<T> = new () => T;

function messages(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...messages(e.children ?? [])]);
}

/**
 * A console form or filter read with the REST route's own DTO (same rules, same messages). HTML
 * forms send every field, empty ones as "": those are dropped first, as an absent JSON property.
 *
 * @throws UnprocessableEntityException naming what is wrong, as the REST route would.
 */
export async function checkDto<T extends object>(type: Ctor<T>, raw: Readonly<Record<string, unknown>>, keep: readonly string[]): Promise<T> {
  const present = Object.fromEntries(Object.entries(raw).filter(([k, v]) => keep.includes(k) && v !== '' && v !== undefined));
  const dto = plainToInstance(type, present);
  const problems = messages(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length) throw new UnprocessableEntityException(problems.join('; '));
  return dto;
}
