/**
 * The pathway's states are part of the workflow's contract (workflows/pathway/contract.ts); the
 * library re-exports them so its store, services and the API name them from one place.
 */
export { isTerminal, PATHWAY_STATES, PathwayState, TERMINAL_STATES } from '@krypton/workflows/pathway';
