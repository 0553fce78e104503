import { Research1767200000000 } from './1767200000000-research';

/** Research projects' migrations (project, frozen cohort, audit), in order. */
export const RESEARCH_MIGRATIONS = [Research1767200000000];
