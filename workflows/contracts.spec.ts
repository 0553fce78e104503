import * as bundle from './index';
import { doseAlertRef, type DoseAlertWorkflow } from './dose/contract';
import { examPathwayRef, type ExamPathwayWorkflow } from './pathway/contract';
import { forwardStudyRef, type ForwardStudyWorkflow } from './routing/contract';
import { studyLifecycleRef, type StudyLifecycleWorkflow } from './study/contract';
import { researchProjectRef, type ResearchProjectWorkflow } from './research/contract';
import { archiveStudyRef, type ArchiveStudyWorkflow } from './archive/contract';
import { priorsRef, type PriorsWorkflow } from './priors/contract';

// Compile-time: each implementation has its contract's signature, so a client starting the
// workflow through the contract's reference passes what the workflow takes.
const implementations: [ExamPathwayWorkflow, DoseAlertWorkflow, ForwardStudyWorkflow, StudyLifecycleWorkflow, ResearchProjectWorkflow, ArchiveStudyWorkflow, PriorsWorkflow] = [
  bundle.examPathwayWorkflow,
  bundle.doseAlertWorkflow,
  bundle.forwardStudyWorkflow,
  bundle.studyLifecycleWorkflow,
  bundle.researchProjectWorkflow,
  bundle.archiveStudyWorkflow,
  bundle.priorsWorkflow,
];

describe('workflow contracts', () => {
  it.each([examPathwayRef, doseAlertRef, forwardStudyRef, studyLifecycleRef, researchProjectRef, archiveStudyRef, priorsRef])(
    '$name is the type the worker registers (recorded histories name it)',
    (ref) => {
      expect(Object.keys(bundle)).toContain(ref.name);
      expect(implementations).toContain((bundle as Record<string, unknown>)[ref.name]);
    },
  );

  it('a reference refuses to run outside the worker', () => {
    expect(() => examPathwayRef({ requestId: 'r', priority: 'routine', createdBy: null })).toThrow(/runs in the Temporal worker/);
  });
});
