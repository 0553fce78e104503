import { ApplicationFailure, Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { forwardProgressQuery, operatorActionUpdate, type ForwardActivities, type ForwardProgress } from '@krypton/workflows/routing';
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
      forgetRefused: async () => undefined,
      requestCommitment: async () => '2.25.1',
      commitmentOutcome: async () => ({ state: 'committed', committed: 3, failed: 0, detail: null }),
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
      forgetRefused: async () => undefined,
      requestCommitment: async () => '2.25.1',
      commitmentOutcome: async () => ({ state: 'committed', committed: 0, failed: 0, detail: null }),
    };
    const worker = await testWorker(env, 'fwd-unknown', activities);
    await expect(
      worker.runUntil(env.client.workflow.execute('forwardStudyWorkflow', { taskQueue: 'fwd-unknown', workflowId: 'fwd-unknown', args: [{ studyUid: '1.2.3', destination: 'X', requestedBy: null }] })),
    ).rejects.toThrow(/Workflow execution failed/);
  });

  describe('protocol routings (operator actions, storage commitment)', () => {
    const routing = { studyUid: '1.2.3', destination: 'ORTHANC', requestedBy: null, operatorActions: true, commitment: true, origin: { protocolId: 'p', version: 2, rule: 'r' } };

    async function waitForState(handle: { query: (q: any) => Promise<ForwardProgress> }, state: string): Promise<ForwardProgress> {
      for (let i = 0; i < 200; i++) {
        const p = await handle.query(forwardProgressQuery).catch(() => null);
        if (p?.state === state) return p;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`never reached ${state}`);
    }

    it('waits for an operator after refusals; retry sends the refused instances again and then commits', async () => {
      let n = 0;
      const forgotten: string[] = [];
      const { states, activities } = scripted(async () => {
        n++;
        return n === 1 ? { total: 3, sent: 2, refused: 1, remaining: 0 } : { total: 3, sent: 3, refused: 0, remaining: 0 };
      });
      activities.forgetRefused = async (id) => void forgotten.push(id);
      const worker = await testWorker(env, 'fwd-operator-retry', activities);
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('forwardStudyWorkflow', { taskQueue: 'fwd-operator-retry', workflowId: 'fwd-operator-retry', args: [routing] });
        const waiting = await waitForState(handle, 'waiting-for-operator');
        expect(waiting.refused).toBe(1);
        await expect(handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'reroute', destination: 'ORTHANC' }] })).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/another destination/) },
        });
        await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry' }] });
        const result: ForwardProgress = await handle.result();
        expect(result).toMatchObject({ state: 'completed', sent: 3, refused: 0, commitment: { transactionUid: '2.25.1', committed: 3, failed: 0 } });
        await expect(handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry' }] })).rejects.toThrow(); // closed: no more actions
      });
      expect(forgotten).toEqual(['fwd-operator-retry']);
      expect(states).toEqual(['waiting-for-operator', 'running', 'awaiting-commitment', 'completed']);
    });

    it('a storage commitment failure is not delivered: the operator reroutes to another destination', async () => {
      const { states, activities } = scripted(async () => ({ total: 3, sent: 3, refused: 0, remaining: 0 }));
      let polls = 0;
      activities.commitmentOutcome = async () =>
        ++polls < 3 ? { state: 'pending', committed: 0, failed: 0, detail: null } : { state: 'failed', committed: 2, failed: 1, detail: 'failure reason 0x110' };
      const worker = await testWorker(env, 'fwd-commit-fail', activities);
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('forwardStudyWorkflow', { taskQueue: 'fwd-commit-fail', workflowId: 'fwd-commit-fail', args: [{ ...routing, operatorActions: true }] });
        const waiting = await waitForState(handle, 'waiting-for-operator');
        expect(waiting.lastError).toBe('storage commitment failed for 1 instance(s): failure reason 0x110');
        await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'reroute', destination: 'OTHER' }] });
        expect(await handle.result()).toMatchObject({ state: 'rerouted', reroutedTo: 'OTHER' });
        const child = env.client.workflow.getHandle('fwd-commit-fail-reroute-OTHER');
        expect((await child.describe()).type).toBe('forwardStudyWorkflow');
        await child.terminate('test over');
      });
      expect(states.slice(0, 3)).toEqual(['awaiting-commitment', 'waiting-for-operator', 'rerouted']);
    });

    it('skip ends a routing the destination refuses for good', async () => {
      const { activities } = scripted(async () => {
        throw ApplicationFailure.create({ type: 'AssociationRejectedError', message: 'down', nonRetryable: true });
      });
      const worker = await testWorker(env, 'fwd-skip', activities);
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('forwardStudyWorkflow', {
          taskQueue: 'fwd-skip',
          workflowId: 'fwd-skip',
          args: [routing],
        });
        const waiting = await waitForState(handle, 'waiting-for-operator');
        expect(waiting.lastError).toBe('down');
        await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'skip', reason: 'site closed' }] });
        expect(await handle.result()).toMatchObject({ state: 'skipped', lastError: 'skipped: site closed' });
      });
    });
  });
});
