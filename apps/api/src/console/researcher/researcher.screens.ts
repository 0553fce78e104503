import type { ConsoleScreen } from '../console-screens';

/** The researcher's projects: approval, cohort counts, extraction progress, delivery. */
export const RESEARCHER_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'researcher-projects',
    area: 'researcher',
    path: '/console/researcher/projects',
    titleKey: 'researcher.projects.title',
    summaryKey: 'researcher.projects.summary',
    requires: [
      { resource: 'research', action: 'search' },
      { resource: 'research', action: 'write' },
    ],
    screenshot: { user: 'demo-researcher', file: 'researcher-projects.png' },
  },
];
