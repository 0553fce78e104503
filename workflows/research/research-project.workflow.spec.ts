import { execSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveUpdate, rejectUpdate, requestChangesUpdate, researchProjectQuery, ResearchActivities, ResearchTransitionInput, resubmitUpdate } from './contract';
import { researchProjectWorkflow } from './research-project.workflow';

jest.setTimeout(120_000);

const DAY = 24 * 3600_000;
const COMMITTEE = { by: 'dac', roles: ['data-access-committee'] };

/** In-memory stand-ins for the store and the extractor: the workflow's logic is what is tested here. */
function fakeActivities(total: number) {
  const transitions: ResearchTransitionInput[] = [];
  const batches: number[] = [];
  let done = 0;
  let delivered = 0;
  const activities: ResearchActivities = {
    async recordResearchTransition(i) {
      transitions.push(i);
    },
    async freezeResearchCohort() {
      return { total, done: 0, quarantined: 0, failed: 0 };
    },
    async extractResearchBatch({ limit }) {
      const n = Math.min(limit, total - done);
      done += n;
      batches.push(n);
      return { counts: { total, done, quarantined: 0, failed: 0 }, remaining: total - done };
    },
    async deliverResearchProject() {
      delivered++;
      return { archiveBytes: 1234, sent: 0 };
    },
  };
  return { activities, transitions, batches, delivered: () => delivered };
}

describe('researchProjectWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = execSync('command -v temporal-test-server', { encoding: 'utf8' }).trim();
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('waits for the committee as long as it takes, refuses other roles, goes through a request for changes, then extracts in batches and delivers', async () => {
    const fake = fakeActivities(120);
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'research-test', workflowsPath: require.resolve('./research-project.workflow'), activities: fake.activities });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(researchProjectWorkflow, { workflowId: 'research-test-1', taskQueue: 'research-test', args: [{ projectId: 'p1' }] });
      // Half a year without a decision: still waiting, nothing extracted.
      await env.sleep(180 * DAY);
      await expect(handle.query(researchProjectQuery)).resolves.toMatchObject({ state: 'submitted' });
      expect(fake.batches).toEqual([]);

      const wrongRole = await handle.executeUpdate(approveUpdate, { args: [{ by: 'r', roles: ['researcher'], note: '' }] }).catch((e) => e);
      expect(wrongRole).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(wrongRole.cause).toMatchObject({ type: 'ResearchRoleRefused' });
      const early = await handle.executeUpdate(resubmitUpdate, { args: [{ by: 'r', roles: ['researcher'] }] }).catch((e) => e);
      expect(early.cause).toMatchObject({ type: 'ResearchWrongState' });

      const changes = await handle.executeUpdate(requestChangesUpdate, { args: [{ ...COMMITTEE, note: 'narrow the age range' }] });
      expect(changes.state).toBe('changes-requested');
      await env.sleep(30 * DAY);
      const again = await handle.executeUpdate(resubmitUpdate, { args: [{ by: 'r', roles: ['researcher'] }] });
      expect(again.state).toBe('submitted');

      await handle.executeUpdate(approveUpdate, { args: [{ ...COMMITTEE, note: 'approved under protocol P-1' }] });
      const final = await handle.result();
      expect(final.state).toBe('completed');
      expect(final.decisions.map((d) => d.decision)).toEqual(['changes-requested', 'approved']);
      expect(fake.batches).toEqual([50, 50, 20]);
      expect(fake.delivered()).toBe(1);
      expect(fake.transitions.map((t) => t.action)).toEqual(['changes-requested', 'resubmitted', 'approved', 'extraction-started', 'extraction-finished', 'delivered']);
    });
  });

  it('a rejected project ends without extracting', async () => {
    const fake = fakeActivities(10);
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'research-test-2', workflowsPath: require.resolve('./research-project.workflow'), activities: fake.activities });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(researchProjectWorkflow, { workflowId: 'research-test-2', taskQueue: 'research-test-2', args: [{ projectId: 'p2' }] });
      await handle.executeUpdate(rejectUpdate, { args: [{ ...COMMITTEE, note: 'no ethics approval on file' }] });
      const final = await handle.result();
      expect(final.state).toBe('rejected');
      expect(fake.batches).toEqual([]);
      const late = await handle.executeUpdate(approveUpdate, { args: [{ ...COMMITTEE, note: '' }] }).catch((e) => e);
      expect(late).toBeInstanceOf(Error);
    });
  });
});
