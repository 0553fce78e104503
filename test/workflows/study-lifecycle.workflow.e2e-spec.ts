import { TestWorkflowEnvironment } from '@temporalio/testing';
import { studyStableSignal, studyStatusQuery } from '@krypton/workflows/study';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';
import { waitFor } from '../support/wait-for';

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
    const planned: number[] = [];
    const worker = await testWorker(env, 'study', {
      markStudyStable: async (uid: string) => void marked.push(uid),
      planRouting: async (_uid: string, stableCount: number) => (planned.push(stableCount), { routes: [], fetchPriors: false }),
    });
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
    // The live protocols are evaluated each time the study becomes stable.
    expect(planned).toEqual([1, 2]);
  });

  it('starts one routing per planned destination with the protocol version pinned, which outlives the study workflow', async () => {
    const origin = { protocolId: 'regional', version: 3, rule: 'CT to the PACS' };
    const route = { destination: 'ORTHANC', origin, commitment: true, parallel: 2, commitmentTimeoutMs: 60_000, initialRetryMs: 1000, maxRetryMs: 5000, giveUpAfterMs: 3600_000 };
    const opened: unknown[] = [];
    const worker = await testWorker(env, 'study-route', {
      markStudyStable: async () => undefined,
      planRouting: async () => ({ routes: [route], fetchPriors: false }),
      openForward: async (input: unknown) => (opened.push(input), { total: 1, sent: 0, refused: 0, remaining: 1 }),
      recordForwardState: async () => undefined,
    });
    await worker.runUntil(async () => {
      await env.client.workflow.signalWithStart('studyLifecycleWorkflow', {
        taskQueue: 'study-route',
        workflowId: 'study-1.2.4',
        args: [{ studyUid: '1.2.4' }],
        signal: studyStableSignal,
        signalArgs: [{ at: '2026-01-01T00:00:00Z' }],
      });
      const child = env.client.workflow.getHandle('route-regional-ORTHANC-1.2.4');
      const described = await waitFor('the routing to start', () => child.describe().catch(() => null), 10_000, 100);
      expect(described.type).toBe('forwardStudyWorkflow');
      await waitFor('openForward', () => opened.length > 0, 10_000, 100);
      expect(opened[0]).toMatchObject({ jobId: 'route-regional-ORTHANC-1.2.4', studyUid: '1.2.4', destination: 'ORTHANC', origin });
      await child.terminate('test over');
    });
  });
});
