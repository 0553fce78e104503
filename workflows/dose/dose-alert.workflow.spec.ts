import { execSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { doseAlertQuery, followUpUpdate, reviewUpdate, type DoseAlertActivities, type DoseAlertReminderInput, type DoseAlertTransitionInput } from './contract';
import { doseAlertWorkflow } from './dose-alert.workflow';

jest.setTimeout(120_000);

const HOUR = 3600_000;

describe('doseAlertWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = execSync('command -v temporal-test-server', { encoding: 'utf8' }).trim();
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('reminds every 48 h while unanswered, refuses a wrong role or state, then closes', async () => {
    const transitions: DoseAlertTransitionInput[] = [];
    const reminders: DoseAlertReminderInput[] = [];
    const activities: DoseAlertActivities = {
      async recordDoseAlertTransition(i) {
        transitions.push(i);
      },
      async sendDoseAlertReminder(i) {
        reminders.push(i);
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'dose-alert-test',
      workflowsPath: require.resolve('./dose-alert.workflow'),
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(doseAlertWorkflow, {
        workflowId: 'dose-alert-test-1',
        taskQueue: 'dose-alert-test',
        args: [{ alertId: 'a1', reminderEveryMs: 48 * HOUR }],
      });
      // Five days without an answer: reminders at 48 h and 96 h.
      await env.sleep(5 * 24 * HOUR);
      expect(reminders.map((r) => [r.waitingFor, r.count])).toEqual([
        ['review', 1],
        ['review', 2],
      ]);

      await expect(handle.executeUpdate(reviewUpdate, { args: [{ by: 'rad', roles: ['radiologist'], analysis: 'x', followUpRequired: true }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const early = await handle.executeUpdate(followUpUpdate, { args: [{ by: 'phy', roles: ['physicist'], note: 'n', action: 'a' }] }).catch((e) => e);
      expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(early.cause).toMatchObject({ type: 'DoseAlertWrongState' });

      const reviewed = await handle.executeUpdate(reviewUpdate, { args: [{ by: 'phy', roles: ['physicist'], analysis: 'PSD about 3 Gy', followUpRequired: true }] });
      expect(reviewed.state).toBe('reviewed');
      expect(reviewed.review?.by).toBe('phy');

      // Now waiting for the follow-up: the reminder says so.
      await env.sleep(49 * HOUR);
      expect(reminders[reminders.length - 1]).toMatchObject({ waitingFor: 'follow-up', count: 3 });

      await handle.executeUpdate(followUpUpdate, { args: [{ by: 'dr', roles: ['radiologist'], note: 'seen', action: 'patient informed' }] });
      const final = await handle.result();
      expect(final.state).toBe('closed');
      expect(transitions.map((t) => t.action)).toEqual(['opened', 'reviewed', 'followed-up', 'closed']);
      await expect(handle.query(doseAlertQuery)).resolves.toMatchObject({ state: 'closed', reminders: 3 });
    });
  });
});
