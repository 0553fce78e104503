import { ApplicationFailure, Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ForwardActivities, ForwardProgress } from '@krypton/workflows/routing';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(120_000);

/**
 * The forwarding workflow's own logic (backoff, giving up, permanent failures) over days of
 * simulated time. The destination's behaviour is scripted through the activities here; the real
 * activities against real destinations are covered by forwarding.e2e-spec.ts.
 */
describe('forwardStudyWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function scripted(batch: () => Promise<{ total: number; sent: number; refused: number; remaining: number }>) {
    const states: string[] = [];
    const activities: ForwardActivities = {
      openForward: async () => ({ total: 3, sent: 0, refused: 0, remaining: 3 }),
      forwardBatch: batch,
      recordForwardState: async (_id, state) => void states.push(state),
    };
    return { states, activities };
  }

  it('backs off exponentially while the destination is down and gives up after the configured time', async () => {
    const calls: number[] = [];
    const { states, activities } = scripted(async () => {
      // Workflow time, which the test server skips: wall-clock time would show milliseconds.
      calls.push(Context.current().info.currentAttemptScheduledTimestampMs);
      throw ApplicationFailure.create({ type: 'PeerUnavailableError', message: 'ORTHANC@127.0.0.1:4242: connection refused' });
    });
    const worker = await testWorker(env, 'fwd-giveup', activities);
    const result: ForwardProgress = await worker.runUntil(
      env.client.workflow.execute('forwardStudyWorkflow', {
        taskQueue: 'fwd-giveup',
        workflowId: 'fwd-giveup',
        args: [{ studyUid: '1.2.3', destination: 'ORTHANC', requestedBy: 'test', giveUpAfterMs: 24 * 3600_000, initialRetryMs: 5_000, maxRetryMs: 300_000 }],
      }),
    );
    expect(result.state).toBe('failed');
    expect(result.lastError).toMatch(/connection refused; gave up after 86400 s/);
    // 5, 10, 20 ... 160 s, then every 300 s for the rest of a day: about 290 attempts, not thousands.
    expect(result.attempts).toBeGreaterThan(280);
    expect(result.attempts).toBeLessThan(300);
    const gaps = calls.slice(1, 8).map((t, i) => Math.round((t - calls[i]) / 1000));
    expect(gaps.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 160]);
    expect(states[0]).toBe('waiting-for-destination');
    expect(states[states.length - 1]).toBe('failed');
  });

  it('recovers when the destination comes back and reports progress through the query', async () => {
    let n = 0;
    const { states, activities } = scripted(async () => {
      n++;
      if (n <= 3) throw ApplicationFailure.create({ type: 'PeerUnavailableError', message: 'down' });
      return { total: 3, sent: 3, refused: 0, remaining: 0 };
    });
    const worker = await testWorker(env, 'fwd-recover', activities);
    const result: ForwardProgress = await worker.runUntil(
      env.client.workflow.execute('forwardStudyWorkflow', {
        taskQueue: 'fwd-recover',
        workflowId: 'fwd-recover',
        args: [{ studyUid: '1.2.3', destination: 'ORTHANC', requestedBy: 'test' }],
      }),
    );
    expect(result).toMatchObject({ state: 'completed', sent: 3, attempts: 4, lastError: 'down' });
    expect(states).toEqual(['waiting-for-destination', 'waiting-for-destination', 'waiting-for-destination', 'running', 'completed']);
  });

  it('fails at once, without retrying, when the destination is not configured', async () => {
    const activities: ForwardActivities = {
      openForward: async () => {
        throw ApplicationFailure.create({ type: 'UnknownDestination', message: 'unknown destination "X"', nonRetryable: true });
      },
      forwardBatch: async () => ({ total: 0, sent: 0, refused: 0, remaining: 0 }),
      recordForwardState: async () => undefined,
    };
    const worker = await testWorker(env, 'fwd-unknown', activities);
    await expect(
      worker.runUntil(
        env.client.workflow.execute('forwardStudyWorkflow', { taskQueue: 'fwd-unknown', workflowId: 'fwd-unknown', args: [{ studyUid: '1.2.3', destination: 'X', requestedBy: null }] }),
      ),
    ).rejects.toThrow(/Workflow execution failed/);
  });
});
