import { resolve } from 'node:path';

/** Where the OHIF dist lives; `npm start` and `npm test` install it there. */
export function viewerDir(): string {
  return resolve(process.env.VIEWER_DIR ?? 'data/ohif/dist');
}
