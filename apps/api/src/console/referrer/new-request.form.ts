import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { NewRequestDto } from '../../requests/new-request.dto';

/** The new-request form as the browser posts it (application/x-www-form-urlencoded, flat names). */
export type RequestForm = Readonly<Record<string, string | undefined>>;

/** `YYYY-MM-DD` of an <input type="date"> → the API's `YYYYMMDD`. */
function dicomDate(v: string | undefined): string | undefined {
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v.replace(/-/g, '') : v || undefined;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** The form's fields as the body of `POST /requests`, for the API's own DTO and its validation. */
export function requestBody(form: RequestForm): Record<string, unknown> {
  const identifier = blank(form.localId) ? [{ value: blank(form.localId), issuer: blank(form.localIssuer) ?? '' }] : [];
  return {
    patient: {
      ins: blank(form.ins),
      identifiers: identifier,
      familyName: blank(form.familyName) ?? '',
      givenName: blank(form.givenName),
      birthDate: dicomDate(blank(form.birthDate)),
      sex: blank(form.sex),
    },
    referrer: { rpps: blank(form.referrerRpps), name: blank(form.referrerName) ?? '', organisation: blank(form.referrerOrganisation) },
    procedureCode: blank(form.procedureCode) ?? '',
    priority: blank(form.priority) ?? '',
    clinicalInformation: blank(form.clinicalInformation),
    targetSite: blank(form.targetSite) ?? null,
  };
}

/** The form field each API property is typed in. */
const FIELD_OF: Record<string, string> = {
  'patient.ins': 'ins',
  'patient.identifiers.0.value': 'localId',
  'patient.identifiers.0.issuer': 'localIssuer',
  'patient.identifiers': 'localId',
  'patient.familyName': 'familyName',
  'patient.givenName': 'givenName',
  'patient.birthDate': 'birthDate',
  'patient.sex': 'sex',
  'referrer.rpps': 'referrerRpps',
  'referrer.name': 'referrerName',
  'referrer.organisation': 'referrerOrganisation',
  procedureCode: 'procedureCode',
  priority: 'priority',
  clinicalInformation: 'clinicalInformation',
  targetSite: 'targetSite',
};

function flatten(errors: readonly ValidationError[], parent = ''): { path: string; message: string }[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((message) => ({ path, message })), ...flatten(e.children ?? [], path)];
  });
}

/**
 * Validates the form with the API's DTO (`NewRequestDto`: the same rules and messages as
 * `POST /requests`) and answers the DTO, or the problems per form field.
 */
export async function checkRequestForm(form: RequestForm): Promise<{ dto: NewRequestDto; errors: null } | { dto: null; errors: Record<string, string[]> }> {
  const dto = plainToInstance(NewRequestDto, requestBody(form));
  const problems = flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (!problems.length) return { dto, errors: null };
  const errors: Record<string, string[]> = {};
  for (const p of problems) (errors[FIELD_OF[p.path] ?? 'form'] ??= []).push(p.message);
  return { dto: null, errors };
}
