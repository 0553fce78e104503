import { CT, EVENT, matches } from './codes';
import { EMPTY_TOTALS, DoseEvent } from './dose-report';
import { parseDoseCheck } from './dose-check.parser';
import { Diagnostics, findItem, findQuantity, findText } from './measurement';
import { ParsedDose, eventCount } from './parsed-dose';
import { SrNode, childOf, childrenOf } from './sr-tree';

/** TID 10011 CT Radiation Dose: one CT Acquisition (113819) per irradiation event. */
export function parseCtDose(root: SrNode, diag: Diagnostics): ParsedDose {
  const accumulated = childOf(root, CT.accumulatedDoseData);
  const events = childrenOf(root, CT.acquisition).map((a) => ctEvent(a, diag));
  return {
    kind: 'CT',
    template: 'TID10011',
    events,
    totals: {
      ...EMPTY_TOTALS,
      eventCount: eventCount(findQuantity(accumulated, CT.totalNumberOfIrradiationEvents, 'count', diag), events),
      dlpTotal_mGy_cm: findQuantity(accumulated, CT.dlpTotal, 'dlp', diag),
    },
  };
}

function ctEvent(acquisition: SrNode, diag: Diagnostics): DoseEvent {
  // CTDIvol and DLP belong in the CT Dose container (TID 10013); the fallback to the whole
  // acquisition covers vendors that flatten it.
  const dose = childOf(acquisition, CT.dose) ?? acquisition;
  return {
    irradiationEventUid: findText(acquisition, EVENT.irradiationEventUid),
    ctdiVol_mGy: findQuantity(dose, CT.ctdiVol, 'doseMGy', diag),
    dlp_mGy_cm: findQuantity(dose, CT.dlp, 'dlp', diag),
    dap_Gy_m2: null,
    rpDose_Gy: null,
    agd_mGy: null,
    acquisitionProtocol: findText(acquisition, EVENT.acquisitionProtocol),
    eventType: findItem(acquisition, CT.acquisitionType)?.code ?? null,
    ctdiPhantom: phantomOf(findItem(acquisition, CT.phantomType)?.code),
    doseCheck: parseDoseCheck(acquisition, diag),
  };
}

/** CTDIvol notification values differ by phantom (16 cm head, 32 cm body), hence the field. */
function phantomOf(code: Parameters<typeof matches>[0]): 'HEAD16' | 'BODY32' | null {
  if (matches(code, CT.headPhantom)) return 'HEAD16';
  if (matches(code, CT.bodyPhantom)) return 'BODY32';
  return null;
}
