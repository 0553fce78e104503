import type { ConsoleScreen } from '../console-screens';

/** The radiologist's reading: the worklist of their pools, then the editor beside the viewer. */
export const RADIOLOGIST_SCREENS: readonly ConsoleScreen[] = [
  {
    id: 'radiologist-worklist',
    area: 'radiologist',
    path: '/console/radiologist/worklist',
    titleKey: 'radiologist.worklist.title',
    summaryKey: 'radiologist.worklist.summary',
    // Reading tasks are the radiologist's; report write keeps the screen from coordinators, who read the pathway board instead.
    requires: [
      { resource: 'reading-task', action: 'search' },
      { resource: 'report', action: 'write' },
    ],
    screenshot: { user: 'demo-radiologist', file: 'radiologist-worklist.png' },
  },
];
