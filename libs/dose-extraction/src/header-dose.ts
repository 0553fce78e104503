import { DoseEvent, DoseKind, EMPTY_EVENT } from './dose-report';
import { NaturalDataset, items, num, str } from './dataset-values';
import { dGyCm2ToGyM2 } from './units';

/**
 * Dose stated in an image's own attributes, for objects sent without an RDSR (older DX, CR, MG,
 * RF units; CT "dose info" secondary captures). Each attribute has a unit fixed by PS3.3, which
 * is why there is no unit lookup here:
 *  - Image and Fluoroscopy Area Dose Product (0018,115E): dGy·cm²
 *  - Entrance Dose in mGy (0040,8302): mGy; Entrance Dose (0040,0302): dGy, an integer, used only
 *    when the mGy form is absent
 *  - Organ Dose (0040,0316): dGy; for mammography (Organ Exposed BREAST) it is the AGD
 *  - Exposure Index / Target Exposure Index / Deviation Index (0018,1411/1412/1413): unitless
 *  - CTDIvol (0018,9345): mGy, at the top level or per item of Exposure Dose Sequence (0040,030E)
 */
export interface HeaderDose {
  readonly kind: DoseKind;
  readonly events: readonly DoseEvent[];
}

const CT_MODALITIES = new Set(['CT']);
const PROJECTION_MODALITIES = new Set(['CR', 'DX', 'MG', 'RF', 'XA', 'PX', 'IO', 'RG', 'DF']);

/** The header dose of an image, or null when it states none (or is not an X-ray image). */
export function extractHeaderDose(dataset: NaturalDataset): HeaderDose | null {
  const modality = str(dataset.Modality);
  if (modality && CT_MODALITIES.has(modality)) return ctHeaderDose(dataset);
  if (modality && PROJECTION_MODALITIES.has(modality)) return projectionHeaderDose(dataset, modality);
  return null;
}

function ctHeaderDose(dataset: NaturalDataset): HeaderDose | null {
  // A dose-info secondary capture lists one item per series; an image states its own CTDIvol.
  const perExposure = items(dataset.ExposureDoseSequence)
    .map((item) => num(item.CTDIvol))
    .filter((v): v is number => v !== null);
  const own = num(dataset.CTDIvol);
  const values = perExposure.length > 0 ? perExposure : own !== null ? [own] : [];
  if (values.length === 0) return null;
  return { kind: 'CT', events: values.map((ctdiVol_mGy) => ({ ...EMPTY_EVENT, ctdiVol_mGy })) };
}

function projectionHeaderDose(dataset: NaturalDataset, modality: string): HeaderDose | null {
  const dapDGyCm2 = num(dataset.ImageAndFluoroscopyAreaDoseProduct);
  const entranceMGy = num(dataset.EntranceDoseInmGy);
  const entranceDGy = num(dataset.EntranceDose);
  const organDGy = num(dataset.OrganDose);
  const event: DoseEvent = {
    ...EMPTY_EVENT,
    dap_Gy_m2: dapDGyCm2 === null ? null : dGyCm2ToGyM2(dapDGyCm2),
    agd_mGy: organDGy !== null && isBreast(dataset, modality) ? organDGy * 100 : null,
    organDose_mGy: organDGy === null ? null : organDGy * 100,
    entranceDose_mGy: entranceMGy ?? (entranceDGy === null ? null : entranceDGy * 100),
    exposureIndex: num(dataset.ExposureIndex),
    targetExposureIndex: num(dataset.TargetExposureIndex),
    deviationIndex: num(dataset.DeviationIndex),
  };
  const stated = Object.values(event).some((v) => v !== null);
  return stated ? { kind: 'PROJECTION', events: [event] } : null;
}

function isBreast(dataset: NaturalDataset, modality: string): boolean {
  return modality === 'MG' || str(dataset.OrganExposed) === 'BREAST';
}
