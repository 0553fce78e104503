import { Access1767300000000 } from './1767300000000-access';
import { AccessSharing1767730000000 } from './1767730000000-access-sharing';
import { AccessFilterIndexes1768150000000 } from './1768150000000-access-filter-indexes';

/** Access grants, study origins, patient opposition, and the views the access decision reads (exam_request_study, study_grant). */
export const ACCESS_MIGRATIONS = [Access1767300000000, AccessSharing1767730000000, AccessFilterIndexes1768150000000];
