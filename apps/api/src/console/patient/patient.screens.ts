import type { ConsoleScreen } from '../console-screens';

/** The patient's own space: their data only (their INS), as the API's patient routes decide. */
export const PATIENT_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'patient-exams',
    area: 'patient',
    path: '/console/patient/exams',
    titleKey: 'patient.exams.title',
    summaryKey: 'patient.exams.summary',
    requires: [
      { resource: 'report', action: 'search' },
      { resource: 'report', action: 'read-metadata' },
    ],
    identifier: 'ins',
    screenshot: { user: 'demo-patient', file: 'patient-exams.png' },
  },
  {
    id: 'patient-access-log',
    area: 'patient',
    path: '/console/patient/access-log',
    titleKey: 'patient.accessLog.title',
    summaryKey: 'patient.accessLog.summary',
    requires: [{ resource: 'audit', action: 'search' }],
    identifier: 'ins',
  },
  {
    id: 'patient-dose',
    area: 'patient',
    path: '/console/patient/dose',
    titleKey: 'patient.dose.title',
    summaryKey: 'patient.dose.summary',
    requires: [{ resource: 'dose-record', action: 'read-metadata' }],
    identifier: 'ins',
  },
  {
    id: 'patient-links',
    area: 'patient',
    path: '/console/patient/links',
    titleKey: 'patient.links.title',
    summaryKey: 'patient.links.summary',
    requires: [
      { resource: 'sharing', action: 'search' },
      { resource: 'sharing', action: 'write' },
    ],
    identifier: 'ins',
  },
];
