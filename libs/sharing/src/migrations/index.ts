import { Sharing1767730000001 } from './1767730000001-sharing';
import { SharePool1768140000000 } from './1768140000000-share-pool';

/** Shares, patient links and their viewer sessions (issue #11). */
export const SHARING_MIGRATIONS = [Sharing1767730000001, SharePool1768140000000];
