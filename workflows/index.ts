/**
 * The workflow bundle's entry point: every workflow the worker registers. Only deterministic code
 * is reachable from here (no Nest, TypeORM, fs or connectors).
 */
export { studyLifecycleWorkflow } from './study/study-lifecycle.workflow';
export { forwardStudyWorkflow } from './routing/forward-study.workflow';
export { doseAlertWorkflow } from './dose/dose-alert.workflow';
export { examPathwayWorkflow } from './pathway/exam-pathway.workflow';
export { researchProjectWorkflow } from './research/research-project.workflow';
export { archiveStudyWorkflow } from './archive/archive-study.workflow';
export { priorsWorkflow } from './priors/priors.workflow';
