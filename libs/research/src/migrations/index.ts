import { Research1767200000000 } from './1767200000000-research';
import { ResearchPixelCleaning1767200000001 } from './1767200000001-research-pixel-cleaning';

/** Research projects' migrations (project, frozen cohort, audit), in order. */
export const RESEARCH_MIGRATIONS = [Research1767200000000, ResearchPixelCleaning1767200000001];
