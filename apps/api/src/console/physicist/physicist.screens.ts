import type { ConsoleScreen } from '../console-screens';

/** The medical physicist's dose follow-up: dashboards against the NRD, the alert queue. */
export const PHYSICIST_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'physicist-dose',
    area: 'physicist',
    path: '/console/physicist/dose',
    titleKey: 'physicist.dose.title',
    summaryKey: 'physicist.dose.summary',
    requires: [{ resource: 'dose-analysis', action: 'search' }],
    screenshot: { user: 'demo-physicist', file: 'physicist-dose.png' },
  },
  {
    id: 'physicist-alerts',
    area: 'physicist',
    path: '/console/physicist/alerts',
    titleKey: 'physicist.alerts.title',
    summaryKey: 'physicist.alerts.summary',
    requires: [
      { resource: 'dose-alert', action: 'search' },
      { resource: 'dose-analysis', action: 'search' },
    ],
  },
];
