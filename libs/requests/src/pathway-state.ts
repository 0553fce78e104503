/**
 * Where an exam is on its pathway. Pure (no imports): the workflow bundle imports this file by
 * relative path, and the API, the store and the coordinator lists share the same names.
 *
 * The order follows the pathway: intake → scheduling → acquisition → dose → reading →
 * report → results → closed; `cancelled` can be reached from any non-terminal state.
 */
export enum PathwayState {
  /** Intake done: the request is stored and waits for a coordinator to schedule it. */
  Received = 'received',
  /** Site, modality AE and time assigned; accession number and Study Instance UID allocated; worklist item published. */
  Scheduled = 'scheduled',
  /** MPPS in progress or images arriving (later step). */
  Acquiring = 'acquiring',
  /** Acquisition done; waiting for the dose report (later step). */
  AwaitingDose = 'awaiting-dose',
  /** A reading task is open in a pool (later step). */
  Reading = 'reading',
  /** Report signed (later step). */
  Reported = 'reported',
  /** Report delivered to the referrer (ORU^R01 acknowledged) (later step). */
  ResultsDelivered = 'results-delivered',
  Closed = 'closed',
  Cancelled = 'cancelled',
}

export const PATHWAY_STATES: readonly PathwayState[] = Object.values(PathwayState);

/** States after which nothing can change any more. */
export const TERMINAL_STATES: readonly PathwayState[] = [PathwayState.Closed, PathwayState.Cancelled];

export function isTerminal(state: PathwayState): boolean {
  return TERMINAL_STATES.includes(state);
}
