import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ArchivePolicy } from '@krypton/config';
import { planStudy } from '../../libs/archive/src/archive-plan';
import { archiveProgressQuery, recallSignal, replanSignal } from '@krypton/workflows/archive';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const POLICY: ArchivePolicy[] = [{ site: '*', tierAfterDays: 365, retainYears: 3, retention: [] }];

/** The study's rows as the real activities would keep them, and the steps taken, in simulated time. */
function scriptedArchive(env: TestWorkflowEnvironment, lastAccess: number) {
  const s = { tier: 'primary' as 'primary' | 'archive' | 'deleted', hold: false, lastAccess, steps: [] as { step: string; day: number }[] };
  const day = async () => Math.round(((await env.currentTimeMs()) - lastAccess) / DAY);
  const activities = {
    planArchive: async () => {
      const p = planStudy({ studyUid: '1.2.3', site: null, modalities: ['CT'], sopClassUids: [], lastAccessAt: new Date(s.lastAccess).toISOString(), tier: s.tier, legalHold: s.hold }, POLICY);
      return { tier: s.tier, legalHold: s.hold, tierAt: p.tierAt, deleteAt: p.deleteAt };
    },
    moveStudyToArchive: async () => {
      s.tier = 'archive';
      s.steps.push({ step: 'tiered', day: await day() });
      return { instances: 1, compressed: 1, bytesBefore: 10, bytesAfter: 5 };
    },
    recallStudy: async () => {
      s.tier = 'primary';
      s.steps.push({ step: 'recalled', day: await day() });
      return { instances: 1 };
    },
    deleteStudyIfDue: async () => {
      if (s.hold) {
        s.steps.push({ step: 'refused', day: await day() });
        return 'held';
      }
      s.tier = 'deleted';
      s.steps.push({ step: 'deleted', day: await day() });
      return 'deleted';
    },
  };
  return { s, activities };
}

describe('archiveStudyWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('moves the study to the archive tier a year after its last access and deletes it when retention runs out', async () => {
    const { s, activities } = scriptedArchive(env, await env.currentTimeMs());
    const worker = await testWorker(env, 'archive-1', activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('archiveStudyWorkflow', { taskQueue: 'archive-1', workflowId: 'archive-1.2.3', args: [{ studyUid: '1.2.3' }] });
      expect(await handle.result()).toBe('deleted');
    });
    expect(s.steps).toEqual([
      { step: 'tiered', day: 365 },
      { step: 'deleted', day: 1096 },
    ]);
  });

  it('recalls a study read on the archive tier, and the next tiering counts from that read', async () => {
    const { s, activities } = scriptedArchive(env, await env.currentTimeMs());
    const start = s.lastAccess;
    const worker = await testWorker(env, 'archive-2', activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('archiveStudyWorkflow', { taskQueue: 'archive-2', workflowId: 'archive-1.2.4', args: [{ studyUid: '1.2.4' }] });
      await env.sleep(400 * DAY);
      expect((await handle.query(archiveProgressQuery)).plan?.tier).toBe('archive');
      s.lastAccess = await env.currentTimeMs(); // what the access recorder writes
      await handle.signal(recallSignal);
      await env.sleep(DAY);
      expect((await handle.query(archiveProgressQuery)).state).toBe('waiting');
      expect(s.tier).toBe('primary');
      await env.sleep(400 * DAY);
      await handle.terminate('test done');
    });
    expect(s.steps).toEqual([
      { step: 'tiered', day: 365 },
      { step: 'recalled', day: 400 },
      { step: 'tiered', day: 765 },
    ]);
    expect(s.lastAccess - start).toBeGreaterThanOrEqual(400 * DAY);
  });

  it('never deletes under a legal hold, and deletes at once when the hold is cleared after retention', async () => {
    const { s, activities } = scriptedArchive(env, await env.currentTimeMs());
    s.hold = true;
    const worker = await testWorker(env, 'archive-3', activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('archiveStudyWorkflow', { taskQueue: 'archive-3', workflowId: 'archive-1.2.5', args: [{ studyUid: '1.2.5' }] });
      await env.sleep(5 * 365 * DAY);
      const held = await handle.query(archiveProgressQuery);
      expect(held.state).toBe('held');
      expect(s.tier).toBe('archive');
      s.hold = false; // what the admin API's clearHold writes before it signals
      await handle.signal(replanSignal);
      expect(await handle.result()).toBe('deleted');
    });
    expect(s.steps.map((x) => x.step)).toEqual(['tiered', 'deleted']);
    expect(s.steps[1].day).toBeGreaterThanOrEqual(5 * 365);
  });
});
