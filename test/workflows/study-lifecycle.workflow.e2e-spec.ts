import { TestWorkflowEnvironment } from '@temporalio/testing';
import { studyStableSignal, studyStatusQuery } from '@krypton/workflows/study';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(120_000);

describe('studyLifecycleWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('marks the study stable on each signal and closes after 30 quiet days', async () => {
    const marked: string[] = [];
    const worker = await testWorker(env, 'study', { markStudyStable: async (uid: string) => void marked.push(uid) });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.signalWithStart('studyLifecycleWorkflow', {
        taskQueue: 'study',
        workflowId: 'study-1.2.3',
        args: [{ studyUid: '1.2.3' }],
        signal: studyStableSignal,
        signalArgs: [{ at: '2026-01-01T00:00:00Z' }],
      });
      await env.sleep('10 days');
      await handle.signal(studyStableSignal, { at: '2026-01-11T00:00:00Z' });
      await env.sleep('1 day');
      expect(await handle.query(studyStatusQuery)).toEqual({ studyUid: '1.2.3', stableCount: 2, lastStableAt: '2026-01-11T00:00:00Z' });
      const started = await env.currentTimeMs();
      await handle.result();
      // Closed by the idle timer (30 days after the last signal), in simulated time.
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect((await env.currentTimeMs()) - started).toBeGreaterThanOrEqual(28 * 24 * 3600_000);
    });
    expect(marked).toEqual(['1.2.3', '1.2.3']);
  });
});
