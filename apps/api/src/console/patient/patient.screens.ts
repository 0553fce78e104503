import type { ConsoleScreen } from '../console-screens';

/** The patient's own space: their data only (their INS), as the API's patient routes decide. */
export const PATIENT_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'patient-access-log',
    area: 'patient',
    path: '/console/patient/access-log',
    titleKey: 'patient.accessLog.title',
    summaryKey: 'patient.accessLog.summary',
    requires: [{ resource: 'audit', action: 'search' }],
    identifier: 'ins',
  },
];
