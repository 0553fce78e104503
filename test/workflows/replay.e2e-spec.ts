import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { HISTORIES_DIR } from '../support/histories';
import { WORKFLOW_BUNDLE } from '../support/env';

/**
 * Replays histories recorded from real runs (test/histories, refreshed with
 * KRYPTON_RECORD_HISTORIES=1 npm test) against the current workflow code: a change that would
 * break running pathways on deployment fails here first.
 */
describe('workflow replay', () => {
  const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

  it('has recorded histories for every workflow type', () => {
    const types = new Set(files.map((f) => JSON.parse(readFileSync(join(HISTORIES_DIR, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name));
    expect([...types].sort()).toEqual([
      'archiveStudyWorkflow',
      'doseAlertWorkflow',
      'examPathwayWorkflow',
      'forwardStudyWorkflow',
      'priorsWorkflow',
      'researchProjectWorkflow',
      'studyLifecycleWorkflow',
    ]);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE, 'utf8') } }, history, file);
  });
});
