import { Reports1766300000000 } from './1766300000000-reports';

/** The reports' migrations, in order. */
export const REPORTS_MIGRATIONS = [Reports1766300000000];
