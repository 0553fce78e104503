import type { KryptonConfig, RemoteAe } from '@krypton/config';
import type { NewRequest } from './new-request';
import { RequestValidationError } from './request-errors';

/** INS (NIR-based): 13 characters (digits; 2A/2B for Corsica at positions 6-7) and a 2-digit key. */
export const INS_PATTERN = /^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/**
 * Rules every door shares, beyond the shape its own DTO or parser already checked: they need the
 * configuration. Field names are those of NewRequest, so each door can map them to its own
 * format (a JSON path, a FHIR path, an HL7 field).
 *
 * @throws RequestValidationError naming the first bad field.
 */
export function checkNewRequest(req: NewRequest, cfg: Pick<KryptonConfig, 'sites'>): void {
  const p = req.patient;
  if (!p.ins && p.identifiers.length === 0) throw new RequestValidationError('patient.identifiers', 'the patient needs an INS or at least one local identifier with its issuer');
  if (p.ins !== undefined && !INS_PATTERN.test(p.ins)) throw new RequestValidationError('patient.ins', `"${p.ins}" is not an INS (15 characters: NIR and key)`);
  p.identifiers.forEach((id, i) => {
    if (!id.value.trim()) throw new RequestValidationError(`patient.identifiers.${i}.value`, 'must not be empty');
    if (!id.issuer.trim()) throw new RequestValidationError(`patient.identifiers.${i}.issuer`, 'must not be empty');
  });
  if (!p.familyName.trim()) throw new RequestValidationError('patient.familyName', 'must not be empty');
  if (!req.referrer.name.trim()) throw new RequestValidationError('referrer.name', 'must not be empty');
  if (!req.procedureCode.trim()) throw new RequestValidationError('procedureCode', 'must not be empty');
  if (req.placerOrderNumber !== undefined && !req.placerOrderNumber.trim()) throw new RequestValidationError('placerOrderNumber', 'must not be empty when given');
  if (req.targetSite !== null && !cfg.sites.some((s) => s.id === req.targetSite)) {
    throw new RequestValidationError('targetSite', `unknown site "${req.targetSite}" (null means any site of the region)`);
  }
}

/**
 * The configured modality AE a coordinator may schedule on: an AE of kind `modality` belonging to
 * `site`, matched by AE title or by its operator name. Used by the API (to answer 422 at once) and
 * by the scheduling activity (the configuration may have changed in between).
 */
export function findModalityAe(cfg: Pick<KryptonConfig, 'aes' | 'sites'>, site: string, aeTitle: string): RemoteAe | undefined {
  const ae = cfg.aes.find((a) => a.site === site && a.kind === 'modality' && (a.aeTitle === aeTitle || a.name === aeTitle));
  return ae ? { ...ae, name: ae.name ?? ae.aeTitle } : undefined;
}

/** @throws RequestValidationError naming `site` or `aeTitle`. */
export function checkScheduleSlot(cfg: Pick<KryptonConfig, 'aes' | 'sites'>, site: string, aeTitle: string): RemoteAe {
  if (!cfg.sites.some((s) => s.id === site)) throw new RequestValidationError('site', `unknown site "${site}"`);
  const ae = findModalityAe(cfg, site, aeTitle);
  if (!ae) throw new RequestValidationError('aeTitle', `"${aeTitle}" is not a configured modality AE of site "${site}"`);
  return ae;
}
