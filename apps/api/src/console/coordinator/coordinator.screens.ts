import type { ConsoleScreen } from '../console-screens';

/** The coordinator's screens: the pathways of their sites and the actions the pathway accepts from them. */
export const COORDINATOR_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'coordinator-board',
    area: 'coordinator',
    path: '/console/coordinator/pathways',
    titleKey: 'coordinator.board.title',
    summaryKey: 'coordinator.board.summary',
    // GET /pathways, the Update routes, and the acquisition lists only coordinators and admins have.
    requires: [
      { resource: 'request', action: 'search' },
      { resource: 'request', action: 'write' },
      { resource: 'acquisition', action: 'search' },
    ],
    screenshot: { user: 'demo-coordinator', file: 'coordinator-board.png' },
  },
  {
    id: 'coordinator-unmatched',
    area: 'coordinator',
    path: '/console/coordinator/unmatched',
    titleKey: 'coordinator.unmatched.title',
    summaryKey: 'coordinator.unmatched.summary',
    requires: [
      { resource: 'acquisition', action: 'search' },
      { resource: 'acquisition', action: 'write' },
    ],
  },
  {
    id: 'coordinator-destinations',
    area: 'coordinator',
    path: '/console/coordinator/destinations',
    titleKey: 'coordinator.destinations.title',
    summaryKey: 'coordinator.destinations.summary',
    requires: [
      { resource: 'routing', action: 'search' },
      { resource: 'routing', action: 'write' },
    ],
  },
];
