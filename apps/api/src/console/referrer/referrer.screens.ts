import type { ConsoleScreen } from '../console-screens';

/** The referrer's screens: what the API lets a role that writes requests do with its own requests. */
export const REFERRER_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'referrer-new-request',
    area: 'referrer',
    path: '/console/referrer/requests/new',
    titleKey: 'referrer.new.title',
    summaryKey: 'referrer.new.summary',
    requires: [{ resource: 'request', action: 'write' }],
    screenshot: { user: 'demo-referrer', file: 'referrer-new-request.png' },
  },
  {
    id: 'referrer-requests',
    area: 'referrer',
    path: '/console/referrer/requests',
    titleKey: 'referrer.list.title',
    summaryKey: 'referrer.list.summary',
    requires: [
      { resource: 'request', action: 'write' },
      { resource: 'report', action: 'read-metadata' },
    ],
  },
];
