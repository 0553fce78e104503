/**
 * Which received objects the dose queue looks at. Decided from what the index job already holds
 * (SOP class, modality, and whether the gateway's header scan saw dose attributes) so that the
 * per-instance cost for every other object is a Set lookup, and a plain image without dose
 * attributes is never read again (a CT series would otherwise be parsed slice by slice).
 */
export const DOSE_SR_SOP_CLASSES: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.1.1.88.67', // X-Ray Radiation Dose SR
  '1.2.840.10008.5.1.4.1.1.88.68', // Radiopharmaceutical Radiation Dose SR
  // Enhanced and Comprehensive SR: some vendors put their dose report there (see extractDose).
  '1.2.840.10008.5.1.4.1.1.88.22',
  '1.2.840.10008.5.1.4.1.1.88.33',
]);

/** Image modalities whose headers may carry dose (CTDIvol, area dose product, organ dose, EI). */
export const DOSE_IMAGE_MODALITIES: ReadonlySet<string> = new Set(['CT', 'XA', 'RF', 'DX', 'CR', 'MG', 'NM', 'PT', 'PX']);

/** Modalities the region expects dose data for (exhaustiveness). */
export const DOSE_PRODUCING_MODALITIES: readonly string[] = ['CT', 'XA', 'RF', 'DX', 'CR', 'MG', 'NM', 'PT'];

export function isDoseBearing(sopClassUid: string, modality: string | null, hasHeaderDose: boolean): boolean {
  return DOSE_SR_SOP_CLASSES.has(sopClassUid) || (hasHeaderDose && modality !== null && DOSE_IMAGE_MODALITIES.has(modality));
}
