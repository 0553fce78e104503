import { Research1767200000000 } from './1767200000000-research';
import { ResearchPixelCleaning1767200000001 } from './1767200000001-research-pixel-cleaning';
import { ResearchAuditToAudit1767770000002 } from './1767770000002-research-audit-to-audit';

/** Research projects' migrations (project, frozen cohort; their audit, now in libs/audit's trail), in order. */
export const RESEARCH_MIGRATIONS = [Research1767200000000, ResearchPixelCleaning1767200000001, ResearchAuditToAudit1767770000002];
