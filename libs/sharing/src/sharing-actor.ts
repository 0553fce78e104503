import { AccessContext, AccessService, identifierValues } from '@krypton/access';
import { SharingRefusedError } from './sharing-errors';

/** The user behind a sharing act (a DICOM peer never shares). */
export function actorOf(ctx: AccessContext): { id: string; ins: string[] } {
  if (ctx.subject.kind !== 'user') throw new SharingRefusedError('only a signed-in user shares', 403);
  return { id: ctx.subject.id, ins: identifierValues(ctx.subject, 'ins') };
}

/** Whether the caller may act on anyone's shares, links and opposition (admin: `sharing: administer`). */
export function administersSharing(access: AccessService, ctx: AccessContext): boolean {
  return access.decide(ctx, 'administer', { type: 'sharing' }).allowed;
}

/** A patient as the API names one: a 15-digit INS, or `issuer|patientId` of the catalogue. */
export function patientCondition(patient: string, alias = 'p'): { sql: string; params: string[] } {
  if (/^\d{15}$/.test(patient)) return { sql: `${alias}.ins = $`, params: [patient] };
  const bar = patient.indexOf('|');
  if (bar < 0) throw new SharingRefusedError('patient: an INS (15 digits) or issuer|patientId', 422, 'patient');
  return { sql: `${alias}.issuer = $ AND ${alias}.patient_id = $`, params: [patient.slice(0, bar), patient.slice(bar + 1)] };
}
