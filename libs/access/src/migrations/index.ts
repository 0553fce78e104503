import { Access1767300000000 } from './1767300000000-access';

/** Access grants, study origins, and the views the access decision reads (exam_request_study, study_grant). */
export const ACCESS_MIGRATIONS = [Access1767300000000];
