import { Sharing1767730000001 } from './1767730000001-sharing';

/** Shares, patient links and their viewer sessions (issue #11). */
export const SHARING_MIGRATIONS = [Sharing1767730000001];
