import { NM } from './codes';
import { DoseEvent, EMPTY_EVENT, EMPTY_TOTALS } from './dose-report';
import { Diagnostics, findItem, findQuantity, findText } from './measurement';
import { ParsedDose } from './parsed-dose';
import { SrNode, childrenOf, descendantsOf } from './sr-tree';

/**
 * TID 10021 Radiopharmaceutical Radiation Dose (RRDSR, SOP class ...88.68). Each
 * Radiopharmaceutical Administration is one event; its "irradiation event UID" is the
 * administration event UID, which plays the same role (one dose event, referenced by images).
 * The X-ray totals do not apply and stay null.
 */
export function parseNmDose(root: SrNode, diag: Diagnostics): ParsedDose {
  const events = childrenOf(root, NM.administration).map((a) => administration(a, diag));
  return {
    kind: 'NM',
    template: 'TID10021',
    events,
    totals: { ...EMPTY_TOTALS, eventCount: events.length },
  };
}

function administration(node: SrNode, diag: Diagnostics): DoseEvent {
  return {
    ...EMPTY_EVENT,
    irradiationEventUid: findText(node, NM.administrationEventUid),
    dateTimeStarted: findText(node, NM.startDateTime),
    administeredActivity_MBq: findQuantity(node, NM.administeredActivity, 'activity', diag),
    radiopharmaceutical: findItem(node, NM.radiopharmaceuticalAgent)?.code ?? null,
    // The radionuclide is a property of the agent item, one level down.
    radionuclide: descendantsOf(node, NM.radionuclide)[0]?.code ?? null,
    effectiveDose_mSv: findQuantity(node, NM.effectiveDose, 'effectiveDose', diag),
  };
}
