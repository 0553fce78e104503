import type { ProjectRecord } from '@krypton/research';
import type { ResearchProjectState } from '@krypton/workflows/research';

export interface CohortCounts {
  readonly patients: number;
  readonly studies: number;
  readonly series: number;
  readonly instances: number;
}

export interface ProjectRow {
  readonly id: string;
  readonly title: string;
  readonly state: ResearchProjectState;
  /** Where the project is in its life: 1 submitted … 4 delivered, for a step indicator. */
  readonly step: 1 | 2 | 3 | 4;
  readonly approval: 'waiting' | 'changes-requested' | 'rejected' | 'approved';
  /** Instances handled (done + quarantined + failed) over the frozen cohort; null before extraction. */
  readonly progressPercent: number | null;
  readonly counts: ProjectRecord['counts'];
  readonly downloadable: boolean;
  /** The page polls (htmx) until the project reaches an end (delivered or rejected): the committee's decision and the extraction both move it. */
  readonly live: boolean;
  readonly createdAt: string;
}

const APPROVAL: Record<ResearchProjectState, ProjectRow['approval']> = {
  submitted: 'waiting',
  'changes-requested': 'changes-requested',
  rejected: 'rejected',
  approved: 'approved',
  extracting: 'approved',
  delivering: 'approved',
  completed: 'approved',
};
const STEP: Record<ResearchProjectState, ProjectRow['step']> = {
  submitted: 1,
  'changes-requested': 1,
  rejected: 1,
  approved: 2,
  extracting: 2,
  delivering: 3,
  completed: 4,
};

export function projectRow(p: Pick<ProjectRecord, 'id' | 'title' | 'state' | 'counts' | 'createdAt'>): ProjectRow {
  const state = p.state as ResearchProjectState;
  const handled = p.counts.done + p.counts.quarantined + p.counts.failed;
  return {
    id: p.id,
    title: p.title,
    state,
    step: STEP[state] ?? 1,
    approval: APPROVAL[state] ?? 'waiting',
    progressPercent: p.counts.total > 0 ? Math.min(100, Math.floor((handled / p.counts.total) * 100)) : state === 'completed' ? 100 : null,
    counts: p.counts,
    downloadable: state === 'completed',
    live: state !== 'completed' && state !== 'rejected',
    createdAt: new Date(p.createdAt).toISOString(),
  };
}
