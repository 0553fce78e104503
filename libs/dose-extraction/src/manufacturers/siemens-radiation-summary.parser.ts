import { SIEMENS_RADSUM } from '../codes';
import { EMPTY_TOTALS } from '../dose-report';
import { Diagnostics, findQuantity } from '../measurement';
import { ParsedDose } from '../parsed-dose';
import { SrNode } from '../sr-tree';

/**
 * Siemens "Radiation Summary Report" (root C-10, scheme 99SMS_RADSUM), sent in an Enhanced SR by
 * mobile C-arms such as the ARCADIS Varic instead of a standard RDSR. It is the only dose record
 * these units emit, so the hub reads its totals (matched by the private code values, which
 * Siemens documents in the device's conformance statement) rather than lose them.
 *
 * It lists no irradiation events, and its "Total number of exposures" counts radiographic
 * exposures only (a fluoroscopy-only case says 0 beside a non-zero fluoro time), so eventCount is
 * left null rather than reporting "no irradiation".
 */
export function parseSiemensRadiationSummary(root: SrNode, diag: Diagnostics): ParsedDose {
  const exposures = findQuantity(root, SIEMENS_RADSUM.totalExposures, 'count', diag);
  diag.warn(`private Siemens Radiation Summary Report: no irradiation events listed` + (exposures !== null ? `; it states ${exposures} radiographic exposure(s)` : ''));
  return {
    kind: 'PROJECTION',
    template: 'SIEMENS_RADIATION_SUMMARY',
    events: [],
    totals: {
      ...EMPTY_TOTALS,
      dapTotal_Gy_m2: findQuantity(root, SIEMENS_RADSUM.cumulativeDap, 'dap', diag),
      fluoroTime_s: findQuantity(root, SIEMENS_RADSUM.cumulativeFluoroTime, 'time', diag),
    },
  };
}
