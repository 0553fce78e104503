import { DoseRegistry1765000000000 } from './1765000000000-dose-registry';

/** The dose registry's migrations (exams, reports, events, alerts), in order. */
export const DOSE_REGISTRY_MIGRATIONS = [DoseRegistry1765000000000];
