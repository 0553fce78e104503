import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CancelExamInput, PathwayActivities, RecordIntakeInput, ScheduleExamInput } from '../../activities/pathway.activities';
import { cancelSignal, pathwayStatusQuery, scheduleUpdate } from '../../workflows/pathway/exam-pathway.signals';
import { PathwayState, type PathwayStatus } from '../../workflows/pathway/exam-pathway.types';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(120_000);

const SLOT = { by: 'coord', roles: ['coordinator'], site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' };

/**
 * The pathway workflow's own rules (Update validation, cancellation draining the worklist) with
 * scripted activities; the real activities against PostgreSQL are covered by requests.e2e-spec.ts.
 */
describe('examPathwayWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function scripted(opts: { refuseAe?: string } = {}) {
    const intakes: RecordIntakeInput[] = [];
    const schedules: ScheduleExamInput[] = [];
    const cancels: CancelExamInput[] = [];
    const worklist = new Set<string>();
    const activities: PathwayActivities = {
      recordIntake: async (i) => void intakes.push(i),
      scheduleExam: async (i) => {
        if (i.aeTitle === opts.refuseAe) throw ApplicationFailure.create({ type: 'UnknownModalityAe', message: `"${i.aeTitle}" is not a configured modality AE`, nonRetryable: true });
        schedules.push(i);
        worklist.add(i.requestId);
        return { accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1' };
      },
      cancelExam: async (i) => {
        cancels.push(i);
        worklist.delete(i.requestId);
      },
    };
    return { intakes, schedules, cancels, worklist, activities };
  }

  async function refusal(p: Promise<unknown>): Promise<string | undefined> {
    const e = await p.then(() => null, (err) => err);
    expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = e.cause?.cause instanceof ApplicationFailure ? e.cause.cause : e.cause;
    return cause?.type;
  }

  it('accepts the schedule Update once, refuses a second one and a wrong role, and cancel removes the worklist item', async () => {
    const s = scripted();
    const worker = await testWorker(env, 'pathway-1', s.activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('examPathwayWorkflow', {
        taskQueue: 'pathway-1',
        workflowId: 'pathway-r1',
        args: [{ requestId: 'r1', priority: 'urgent', createdBy: 'dpi' }],
      });
      expect(await refusal(handle.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, roles: ['referrer'] }] }))).toBe('PathwayRoleRefused');

      const scheduled = await handle.executeUpdate(scheduleUpdate, { args: [SLOT] });
      expect(scheduled).toMatchObject({ state: PathwayState.Scheduled, accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1', scheduled: { site: 'chu-nord', aeTitle: 'MODALITY1', by: 'coord' } });
      expect(await refusal(handle.executeUpdate(scheduleUpdate, { args: [SLOT] }))).toBe('PathwayWrongState');
      expect(s.schedules).toHaveLength(1);
      expect(s.worklist.has('r1')).toBe(true);

      await handle.signal(cancelSignal, { by: 'coord', reason: 'patient declined' });
      const result: PathwayStatus = await handle.result();
      expect(result.state).toBe(PathwayState.Cancelled);
      expect(result.cancelled).toMatchObject({ by: 'coord', reason: 'patient declined' });
      expect(s.worklist.has('r1')).toBe(false);
      expect(s.cancels).toEqual([{ requestId: 'r1', by: 'coord', reason: 'patient declined' }]);
      expect(s.intakes).toEqual([{ requestId: 'r1', createdBy: 'dpi', priority: 'urgent' }]);

      // The pathway is over: scheduling it now is refused (the API answers 409 from the mirror's state).
      await expect(handle.executeUpdate(scheduleUpdate, { args: [SLOT] })).rejects.toThrow();
    });
  });

  it('cancels a request still waiting to be scheduled, and ignores a resent cancel', async () => {
    const s = scripted();
    const worker = await testWorker(env, 'pathway-2', s.activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('examPathwayWorkflow', {
        taskQueue: 'pathway-2',
        workflowId: 'pathway-r2',
        args: [{ requestId: 'r2', priority: 'routine', createdBy: null }],
      });
      expect((await handle.query(pathwayStatusQuery)).state).toBe(PathwayState.Received);
      await handle.signal(cancelSignal, { by: 'dpi', reason: null });
      await handle.signal(cancelSignal, { by: 'someone-else', reason: 'again' });
      const result: PathwayStatus = await handle.result();
      expect(result).toMatchObject({ state: PathwayState.Cancelled, accessionNumber: null, cancelled: { by: 'dpi', reason: null } });
      expect(s.cancels).toHaveLength(1);
      expect(s.schedules).toHaveLength(0);
    });
  });

  it('keeps the request waiting when the activity refuses the AE, and accepts a corrected slot', async () => {
    const s = scripted({ refuseAe: 'GONE' });
    const worker = await testWorker(env, 'pathway-3', s.activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('examPathwayWorkflow', {
        taskQueue: 'pathway-3',
        workflowId: 'pathway-r3',
        args: [{ requestId: 'r3', priority: 'emergency', createdBy: 'api' }],
      });
      expect(await refusal(handle.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, aeTitle: 'GONE' }] }))).toBe('UnknownModalityAe');
      expect((await handle.query(pathwayStatusQuery)).state).toBe(PathwayState.Received);
      expect((await handle.executeUpdate(scheduleUpdate, { args: [SLOT] })).state).toBe(PathwayState.Scheduled);
      await handle.signal(cancelSignal, { by: 'api', reason: null });
      await handle.result();
      expect(s.worklist.size).toBe(0);
    });
  });
});
