import { CT, EVENT, PROJECTION, matches } from './codes';
import { DoseEvent, DoseTotals, EMPTY_TOTALS, Laterality, PlaneTotals } from './dose-report';
import { lateralityOf } from './laterality';
import { Diagnostics, findItem, findQuantity, findText, quantityOf } from './measurement';
import { ParsedDose, eventCount } from './parsed-dose';
import { SrNode, childOf, childrenOf, descendantsOf } from './sr-tree';

/**
 * TID 10001 Projection X-Ray Radiation Dose: radiography, fluoroscopy, interventional and (with
 * TID 10005/10003 rows) mammography. Biplane systems state one Accumulated X-Ray Dose container
 * per plane; the report-level totals are the sum of what each plane states, and the per-plane
 * figures are kept beside them.
 */
export function parseProjectionDose(root: SrNode, diag: Diagnostics): ParsedDose {
  const accumulated = childrenOf(root, PROJECTION.accumulatedXRayDose);
  const events = childrenOf(root, PROJECTION.irradiationEvent).map((e) => projectionEvent(e, diag));
  const planes = accumulated.map((a) => planeTotals(a, diag));
  const agd = accumulatedAgd(accumulated, diag);
  // TID 10001 has no event count of its own; some vendors add the CT one (113812) anyway.
  const statedCount = accumulated.map((a) => findQuantity(a, CT.totalNumberOfIrradiationEvents, 'count', diag)).find((n) => n !== null);
  const totals: DoseTotals = {
    ...EMPTY_TOTALS,
    eventCount: eventCount(statedCount ?? null, events),
    dapTotal_Gy_m2: sumStated(
      planes.map((p) => p.dapTotal_Gy_m2),
      'Dose Area Product Total',
      diag,
    ),
    rpDoseTotal_Gy: sumStated(
      planes.map((p) => p.rpDoseTotal_Gy),
      'Dose (RP) Total',
      diag,
    ),
    fluoroTime_s: sumStated(
      planes.map((p) => p.fluoroTime_s),
      'Total Fluoro Time',
      diag,
    ),
    agdTotal_mGy: agd.total,
    agdByLaterality: agd.byLaterality,
    fluoroDapTotal_Gy_m2: sumStated(
      accumulated.map((a) => findQuantity(a, PROJECTION.fluoroDapTotal, 'dap', diag)),
      'Fluoro Dose Area Product Total',
      diag,
    ),
    acquisitionDapTotal_Gy_m2: sumStated(
      accumulated.map((a) => findQuantity(a, PROJECTION.acquisitionDapTotal, 'dap', diag)),
      'Acquisition Dose Area Product Total',
      diag,
    ),
    acquisitionTime_s: sumStated(
      accumulated.map((a) => findQuantity(a, PROJECTION.totalAcquisitionTime, 'time', diag)),
      'Total Acquisition Time',
      diag,
    ),
    planes,
  };
  return { kind: 'PROJECTION', template: 'TID10001', totals, events };
}

function planeOf(container: SrNode): PlaneTotals['plane'] {
  const code = childOf(container, PROJECTION.acquisitionPlane)?.code;
  if (matches(code, PROJECTION.planeA)) return 'A';
  if (matches(code, PROJECTION.planeB)) return 'B';
  if (matches(code, PROJECTION.singlePlane)) return 'SINGLE';
  return null;
}

function planeTotals(container: SrNode, diag: Diagnostics): PlaneTotals {
  return {
    plane: planeOf(container),
    dapTotal_Gy_m2: findQuantity(container, PROJECTION.dapTotal, 'dap', diag),
    rpDoseTotal_Gy: findQuantity(container, PROJECTION.rpDoseTotal, 'doseGy', diag),
    fluoroTime_s: findQuantity(container, PROJECTION.totalFluoroTime, 'time', diag),
  };
}

function projectionEvent(event: SrNode, diag: Diagnostics): DoseEvent {
  return {
    irradiationEventUid: findText(event, EVENT.irradiationEventUid),
    ctdiVol_mGy: null,
    dlp_mGy_cm: null,
    dap_Gy_m2: findQuantity(event, PROJECTION.dap, 'dap', diag),
    rpDose_Gy: findQuantity(event, PROJECTION.rpDose, 'doseGy', diag),
    agd_mGy: findQuantity(event, PROJECTION.agd, 'doseMGy', diag),
    dateTimeStarted: findText(event, EVENT.dateTimeStarted),
    acquisitionProtocol: findText(event, EVENT.acquisitionProtocol),
    eventType: findItem(event, PROJECTION.irradiationEventType)?.code ?? null,
    plane: planeOf(event),
    // Mammography states the breast as a modifier of "Anatomical structure"; others may state
    // Laterality directly. Either way it is the first laterality item in the event.
    laterality: lateralityOf(descendantsOf(event, PROJECTION.laterality)[0]?.code),
  };
}

/**
 * Accumulated Average Glandular Dose is stated once per breast. The total is their sum (the
 * figure dose registries compare against), and the per-breast values are kept as stated.
 */
function accumulatedAgd(accumulated: readonly SrNode[], diag: Diagnostics): { total: number | null; byLaterality: Partial<Record<Laterality, number>> | null } {
  const rows = accumulated.flatMap((a) => descendantsOf(a, PROJECTION.accumulatedAgd));
  if (rows.length === 0) return { total: null, byLaterality: null };
  const byLaterality: Partial<Record<Laterality, number>> = {};
  const stated: Array<number | null> = [];
  for (const row of rows) {
    const value = quantityOf(row, 'doseMGy', diag);
    stated.push(value);
    const side = lateralityOf(childOf(row, PROJECTION.laterality)?.code);
    if (value !== null && side) byLaterality[side] = (byLaterality[side] ?? 0) + value;
  }
  return {
    total: sumStated(stated, 'Accumulated Average Glandular Dose', diag),
    byLaterality: Object.keys(byLaterality).length > 0 ? byLaterality : null,
  };
}

/**
 * Sum of the values the report states. All absent gives null (not stated, not zero); some absent
 * gives the sum of the others and a warning, since the total may then be understated.
 */
function sumStated(values: ReadonlyArray<number | null>, what: string, diag: Diagnostics): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  if (present.length < values.length) {
    diag.warn(`${what}: stated in ${present.length} of ${values.length} accumulated containers`);
  }
  return present.length === 1 ? present[0] : present.reduce((a, b) => a + b, 0);
}
