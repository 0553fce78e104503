import { ApplicationFailure } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { PRIOR_NOT_INDEXED, priorsStatusQuery, type PriorsActivities, type PriorsStatus } from '@krypton/workflows/priors';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(120_000);

/**
 * The priors workflow's own rules with scripted activities and time skipping: each prior held
 * only at a site PACS is fetched, then waited for in the catalogue; one that cannot be fetched is
 * marked failed with the reason and the others go on. The real activities (C-FIND, C-MOVE from an
 * Orthanc site PACS, the catalogue) are covered by test/priors.e2e-spec.ts.
 */
describe('priorsWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('fetches each prior, waits until it is indexed, marks a refused one failed and goes on', async () => {
    const calls: string[] = [];
    const failed: { studyUid: string; error: string }[] = [];
    let indexChecks = 0;
    const activities: PriorsActivities = {
      findPriors: async () => ({
        attached: 3,
        toFetch: [
          { studyUid: '2.25.10', source: 'SITE_PACS' },
          { studyUid: '2.25.11', source: 'SITE_PACS' },
        ],
        sourceErrors: [{ source: 'OTHER_PACS', error: 'connection refused' }],
      }),
      fetchPrior: async ({ studyUid }) => {
        calls.push(`fetch ${studyUid}`);
        if (studyUid === '2.25.11') throw ApplicationFailure.create({ type: 'QueryRetrieveFailedError', message: 'SITE_PACS answered C-MOVE with status 0xa801', nonRetryable: true });
        return { completed: 4, failed: 0 };
      },
      awaitPriorIndexed: async ({ studyUid, expected }) => {
        calls.push(`indexed? ${studyUid} ${expected}`);
        // The gateway acknowledged before the index job ran: not there on the first two looks.
        if (++indexChecks < 3) throw ApplicationFailure.create({ type: PRIOR_NOT_INDEXED, message: `${indexChecks - 1} of ${expected} indexed` });
      },
      markPriorFailed: async (i) => void failed.push({ studyUid: i.studyUid, error: i.error }),
    };
    const worker = await testWorker(env, 'priors-1', activities);
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start('priorsWorkflow', { taskQueue: 'priors-1', workflowId: 'priors-r1-scheduled', args: [{ requestId: 'r1', studyUid: '2.25.1', trigger: 'scheduled' }] });
      const result: PriorsStatus = await h.result();
      expect(result).toEqual({ requestId: 'r1', state: 'done', attached: 3, fetched: 1, failed: 1, sourceErrors: [{ source: 'OTHER_PACS', error: 'connection refused' }] });
      expect(await h.query(priorsStatusQuery)).toEqual(result);
    });
    expect(calls).toEqual(['fetch 2.25.10', 'indexed? 2.25.10 4', 'indexed? 2.25.10 4', 'indexed? 2.25.10 4', 'fetch 2.25.11']);
    expect(failed).toEqual([{ studyUid: '2.25.11', error: 'SITE_PACS answered C-MOVE with status 0xa801' }]);
  });
});
