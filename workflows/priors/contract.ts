/**
 * The priors workflow's contract: find an exam's relevant prior studies (hub catalogue and site
 * PACS), fetch those held only at a site PACS into the hub, and attach them to the exam's reading
 * task. Imports nothing but `@temporalio/workflow`; code outside this folder reaches it as
 * `@krypton/workflows/priors`.
 */
import { defineQuery } from '@temporalio/workflow';

export interface FindPriorsInput {
  readonly requestId: string;
  /** The exam's own study (allocated at scheduling, or the acquired one): never its own prior. */
  readonly studyUid: string | null;
  /** What started the search: the request was scheduled, or its images arrived. */
  readonly trigger: 'scheduled' | 'study';
  /**
   * Set when a protocol's fetchPriors action asked (`protocol:<id>@<version>`): the search runs even
   * where `pathway.priors.enabled` is false (the pathway's own searches are then off).
   */
  readonly requestedBy?: string;
}

export interface PriorToFetch {
  readonly studyUid: string;
  /** The configured site PACS (AE name) holding it. */
  readonly source: string;
}

export interface PriorsFound {
  /** Relevant priors attached (already in the catalogue or to fetch). */
  readonly attached: number;
  readonly toFetch: readonly PriorToFetch[];
  /** Site PACS that could not be queried (unreachable, refused): the search went on without them. */
  readonly sourceErrors: readonly { readonly source: string; readonly error: string }[];
  /** Why nothing was gathered when the disclosure decision refused it (the patient objects to sharing). */
  readonly withheld?: string | null;
}

export interface PriorsStatus {
  readonly requestId: string;
  readonly state: 'searching' | 'fetching' | 'done';
  readonly attached: number;
  readonly fetched: number;
  readonly failed: number;
  readonly sourceErrors: PriorsFound['sourceErrors'];
  readonly withheld?: string | null;
}

export const priorsStatusQuery = defineQuery<PriorsStatus>('status');

/** One search per request and trigger: a resent schedule or a later stability of the same study does not search twice at once. */
export function priorsWorkflowId(requestId: string, trigger: FindPriorsInput['trigger']): string {
  return `priors-${requestId}-${trigger}`;
}

export type PriorsWorkflow = (input: FindPriorsInput) => Promise<PriorsStatus>;

/** Typed reference (its name is the workflow type recorded in histories; see workflows/contracts.spec.ts). */
export const priorsRef: PriorsWorkflow = function priorsWorkflow() {
  throw new Error('priorsWorkflow runs in the Temporal worker: start it with a Temporal client');
};

/** Failure type of a prior whose instances are not all in the catalogue yet (retried by Temporal). */
export const PRIOR_NOT_INDEXED = 'PriorNotIndexedYet';

// ---- The activities the workflow calls (implemented in activities/priors)

export interface PriorsActivities {
  /** Searches the catalogue and every configured site PACS (C-FIND), judges relevance, attaches the priors. */
  findPriors(input: FindPriorsInput): Promise<PriorsFound>;
  /** C-MOVE of one prior from its site PACS to the hub's own AE; answers how many instances were sent. */
  fetchPrior(input: { requestId: string; studyUid: string; source: string }): Promise<{ completed: number; failed: number }>;
  /** Throws PriorNotIndexedYet until the catalogue holds `expected` instances of the study, then marks the prior available. */
  awaitPriorIndexed(input: { requestId: string; studyUid: string; expected: number }): Promise<void>;
  markPriorFailed(input: { requestId: string; studyUid: string; error: string }): Promise<void>;
}
