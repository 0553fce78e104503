/**
 * The research project's contract: its input, view and states, its Updates and query, its
 * workflow id, the failure types the API maps, and the activities it calls. Imports nothing but
 * `@temporalio/workflow`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type ResearchProjectState = 'submitted' | 'changes-requested' | 'rejected' | 'approved' | 'extracting' | 'delivering' | 'completed';

/** What a researcher asks for: never an identity, only criteria and Options. */
export interface ResearchProjectInput {
  readonly projectId: string;
  /** Carried over by continueAsNew; absent on the first run. */
  readonly resume?: ResearchProjectView;
}

export interface ExtractionCounts {
  readonly total: number;
  readonly done: number;
  readonly quarantined: number;
  readonly failed: number;
}

export interface ResearchDecision {
  readonly by: string;
  readonly decision: 'approved' | 'rejected' | 'changes-requested';
  readonly note: string;
  readonly at: string;
}

export interface ResearchProjectView {
  readonly projectId: string;
  readonly state: ResearchProjectState;
  readonly decisions: readonly ResearchDecision[];
  readonly counts: ExtractionCounts;
}

/** A decision of the data-access committee (approve, reject, ask for changes). */
export interface DecisionInput {
  readonly by: string;
  readonly roles: readonly string[];
  readonly note: string;
}

/** The researcher answers a request for changes (the project's fields are updated in the store first). */
export interface ResubmitInput {
  readonly by: string;
  readonly roles: readonly string[];
}

/** Who may decide. Checked again by the workflow: the API is not the only client. */
export const DECISION_ROLES: readonly string[] = ['data-access-committee'];
export const RESUBMIT_ROLES: readonly string[] = ['researcher'];

/** Failure types the API maps to HTTP statuses. */
export const RESEARCH_ROLE_REFUSED = 'ResearchRoleRefused';
export const RESEARCH_WRONG_STATE = 'ResearchWrongState';

// ---- Updates, query, workflow id

export const approveUpdate = defineUpdate<ResearchProjectView, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<ResearchProjectView, [DecisionInput]>('reject');
export const requestChangesUpdate = defineUpdate<ResearchProjectView, [DecisionInput]>('requestChanges');
export const resubmitUpdate = defineUpdate<ResearchProjectView, [ResubmitInput]>('resubmit');
export const researchProjectQuery = defineQuery<ResearchProjectView>('researchProject');

export function researchProjectWorkflowId(projectId: string): string {
  return `research-project-${projectId}`;
}

// ---- How code outside workflows/ starts the workflow

export type ResearchProjectWorkflow = (input: ResearchProjectInput) => Promise<ResearchProjectView>;

/** Typed reference to start the workflow; its name is the workflow type recorded in histories. */
export const researchProjectRef: ResearchProjectWorkflow = function researchProjectWorkflow() {
  throw new Error('researchProjectWorkflow runs in the Temporal worker: start it with a Temporal client');
};

// ---- The activities the workflow calls (implemented in activities/research)

export interface ResearchTransitionInput {
  readonly projectId: string;
  readonly state: ResearchProjectState;
  readonly action: string;
  readonly actor: string | null;
  readonly detail: unknown;
}

export interface ExtractBatchResult {
  readonly counts: ExtractionCounts;
  /** Instances of the frozen cohort not yet processed. */
  readonly remaining: number;
}

export interface ResearchActivities {
  /** Mirrors a transition in PostgreSQL and writes its audit row (idempotent per activity). */
  recordResearchTransition(input: ResearchTransitionInput): Promise<void>;
  /** Freezes the approved cohort's instances (once): the extraction's to-do list. */
  freezeResearchCohort(projectId: string): Promise<ExtractionCounts>;
  /** De-identifies the next pending instances, heartbeating per instance; idempotent. */
  extractResearchBatch(input: { readonly projectId: string; readonly limit: number }): Promise<ExtractBatchResult>;
  /** Builds the downloadable archive (files + manifest CSV) and sends to the research PACS if configured. */
  deliverResearchProject(projectId: string): Promise<{ readonly archiveBytes: number; readonly sent: number }>;
}
