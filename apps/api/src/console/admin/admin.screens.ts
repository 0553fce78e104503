import type { ConsoleScreen } from '../console-screens';

/** The administrator's screens: what the hub is configured with, its protocols, its health. */
export const ADMIN_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'admin-protocols',
    area: 'admin',
    path: '/console/admin/protocols',
    titleKey: 'admin.protocols.title',
    summaryKey: 'admin.protocols.summary',
    // Saving and publishing are the administrator's; a coordinator reads protocols through the API.
    requires: [{ resource: 'routing', action: 'administer' }],
    screenshot: { user: 'demo-admin', file: 'admin-protocols.png' },
  },
  {
    id: 'admin-configuration',
    area: 'admin',
    path: '/console/admin/configuration',
    titleKey: 'admin.configuration.title',
    summaryKey: 'admin.configuration.summary',
    requires: [{ resource: 'administration', action: 'administer' }],
  },
  {
    id: 'admin-health',
    area: 'admin',
    path: '/console/admin/health',
    titleKey: 'admin.health.title',
    summaryKey: 'admin.health.summary',
    requires: [{ resource: 'administration', action: 'administer' }],
  },
];
