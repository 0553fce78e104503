import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  acquisitionSignal,
  cancelSignal,
  changeRequestUpdate,
  claimReadingUpdate,
  pathwayStatusQuery,
  releaseReadingUpdate,
  scheduleUpdate,
  signReportUpdate,
  PathwayState,
  type PathwayStatus,
} from '@krypton/workflows/pathway';
import { scriptedPathway, type ScriptOptions } from '../support/scripted-pathway';
import { testWorker, timeSkippingEnv } from '../support/time-skipping';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const SLOT = { by: 'coord', roles: ['coordinator'], site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' };
const ALICE = { by: 'alice', roles: ['radiologist'], pools: ['regional-teleradiology'] };
const BOB = { by: 'bob', roles: ['radiologist'], pools: ['regional-teleradiology'] };
const MINUTE = 60_000;

/**
 * The pathway workflow's own rules (Update validation, ordering of acquisition events, deadlines,
 * SLA timers, result retries, cancellation) with scripted activities and Temporal's time-skipping
 * server; the real activities are covered by test/pathway.e2e-spec.ts.
 */
describe('examPathwayWorkflow (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function refusal(p: Promise<unknown>): Promise<string | undefined> {
    const e = await p.then(
      () => null,
      (err) => err,
    );
    expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = e.cause?.cause instanceof ApplicationFailure ? e.cause.cause : e.cause;
    return cause?.type;
  }

  /** Runs `body` against a fresh pathway with its own task queue and script. */
  async function withPathway(priority: 'routine' | 'urgent' | 'emergency', opts: ScriptOptions, body: (h: WorkflowHandle, s: ReturnType<typeof scriptedPathway>) => Promise<void>) {
    const s = scriptedPathway(opts);
    const taskQueue = `pathway-${++queue}`;
    const worker = await testWorker(env, taskQueue, s.activities);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('examPathwayWorkflow', { taskQueue, workflowId: `pathway-r${queue}`, args: [{ requestId: `r${queue}`, priority, createdBy: 'dpi' }] });
      await body(handle, s);
    });
  }

  const status = (h: WorkflowHandle): Promise<PathwayStatus> => h.query(pathwayStatusQuery);
  const stateIs = async (h: WorkflowHandle, state: PathwayState) => waitFor(`state ${state}`, async () => (await status(h)).state === state, 20_000);

  it('accepts the schedule Update once, refuses a second one and a wrong role, and cancel removes the worklist item', async () => {
    await withPathway('urgent', {}, async (h, s) => {
      expect(await refusal(h.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, roles: ['referrer'] }] }))).toBe('PathwayRoleRefused');
      const scheduled = await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      expect(scheduled).toMatchObject({ state: PathwayState.Scheduled, attention: null, accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1', scheduled: { site: 'chu-nord', by: 'coord' } });
      // Rescheduling before acquisition is a change, not a refusal.
      expect((await h.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, scheduledAt: '2026-12-02T10:00:00+01:00' }] })).scheduled?.scheduledAt).toBe('2026-12-02T10:00:00+01:00');
      expect(s.worklist.has(s.named('scheduleExam').length ? (s.named('scheduleExam')[0] as { requestId: string }).requestId : '')).toBe(true);

      await h.signal(cancelSignal, { by: 'coord', reason: 'patient declined' });
      const result: PathwayStatus = await h.result();
      expect(result).toMatchObject({ state: PathwayState.Cancelled, cancelled: { by: 'coord', reason: 'patient declined' } });
      expect(s.worklist.size).toBe(0);
      expect(s.named('cancelExam')).toHaveLength(1);
      await expect(h.executeUpdate(scheduleUpdate, { args: [SLOT] })).rejects.toThrow();
    });
  });

  it('keeps the request waiting when the activity refuses the AE, and ignores a resent cancel', async () => {
    await withPathway('emergency', { refuseAe: 'GONE' }, async (h, s) => {
      expect(await refusal(h.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, aeTitle: 'GONE' }] }))).toBe('UnknownModalityAe');
      expect((await status(h)).state).toBe(PathwayState.Received);
      await h.signal(cancelSignal, { by: 'dpi', reason: null });
      await h.signal(cancelSignal, { by: 'someone-else', reason: 'again' });
      expect(await h.result()).toMatchObject({ state: PathwayState.Cancelled, cancelled: { by: 'dpi', reason: null } });
      expect(s.named('cancelExam')).toHaveLength(1);
    });
  });

  it('runs the whole pathway: MPPS, images, dose, exclusive claim, signature, results retried until AA, closed', async () => {
    await withPathway('routine', { doseFoundFromCall: 1, deliveryFailures: 3 }, async (h, s) => {
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.3', status: 'IN PROGRESS', at: '2026-12-01T09:31:00Z' });
      await stateIs(h, PathwayState.Acquiring);
      // Scheduling is over once the modality started.
      expect(await refusal(h.executeUpdate(scheduleUpdate, { args: [SLOT] }))).toBe('PathwayWrongState');
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.3', status: 'COMPLETED', at: '2026-12-01T09:40:00Z' });
      await h.signal(acquisitionSignal, { kind: 'study', studyUid: '2.25.1', at: '2026-12-01T09:41:00Z' });
      await stateIs(h, PathwayState.Reading);
      expect(s.findings).toEqual([]);
      expect(s.named('completeAcquisition')).toEqual([expect.objectContaining({ studyUid: '2.25.1', mppsSopInstanceUid: '1.2.3', findings: [] })]);
      // Priors are searched by a workflow of their own when the exam is scheduled and when its images arrive.
      await waitFor('two prior searches', async () => s.named('findPriors').length === 2, 20_000);
      expect(s.named('findPriors')).toEqual(
        expect.arrayContaining([
          { requestId: expect.any(String), studyUid: '2.25.1', trigger: 'scheduled' },
          { requestId: expect.any(String), studyUid: '2.25.1', trigger: 'study' },
        ]),
      );

      expect(await refusal(h.executeUpdate(signReportUpdate, { args: [{ ...ALICE, findings: 'f', conclusion: 'c' }] }))).toBe('ReadingTaskTaken');
      expect(await refusal(h.executeUpdate(claimReadingUpdate, { args: [{ ...ALICE, pools: ['elsewhere'] }] }))).toBe('PathwayRoleRefused');
      expect((await h.executeUpdate(claimReadingUpdate, { args: [ALICE] })).reading?.claimedBy).toBe('alice');
      expect(await refusal(h.executeUpdate(claimReadingUpdate, { args: [BOB] }))).toBe('ReadingTaskTaken');
      expect(await refusal(h.executeUpdate(releaseReadingUpdate, { args: [BOB] }))).toBe('ReadingTaskTaken');
      expect((await h.executeUpdate(releaseReadingUpdate, { args: [ALICE] })).reading?.claimedBy).toBeNull();
      await h.executeUpdate(claimReadingUpdate, { args: [BOB] });
      expect(await refusal(h.executeUpdate(signReportUpdate, { args: [{ ...BOB, findings: 'RAS', conclusion: ' ' }] }))).toBe('PathwayInvalidInput');
      const signed = await h.executeUpdate(signReportUpdate, { args: [{ ...BOB, findings: 'RAS', conclusion: 'Examen normal.' }] });
      expect(signed).toMatchObject({ state: PathwayState.Reported, report: { reportId: 'rep-1', signedBy: 'bob' } });

      // Three refusals by the referrer's system (30 s, 60 s, 120 s backoff), then AA.
      const result: PathwayStatus = await h.result();
      expect(result).toMatchObject({ state: PathwayState.Closed, results: { attempts: 4, lastError: null, destination: 'DPI_NORD' } });
      expect(s.named('deliverResults')).toHaveLength(4);
      // After the third failure a coordinator was asked; delivery cleared it.
      expect(s.progress.map((p) => [p.step, p.attention])).toEqual(expect.arrayContaining([['results-undeliverable', 'results-undeliverable']]));
      expect(result.attention).toBeNull();
      expect(s.named('closePathway')).toHaveLength(1);
      expect(s.sla).toEqual([]);
    });
  });

  it('warns before the reading deadline and escalates at breach (emergency: 60 minutes)', async () => {
    await withPathway('emergency', { doseFoundFromCall: 1 }, async (h, s) => {
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.4', status: 'COMPLETED', at: '2026-12-01T09:40:00Z' });
      await h.signal(acquisitionSignal, { kind: 'study', studyUid: '2.25.1', at: '2026-12-01T09:41:00Z' });
      await stateIs(h, PathwayState.Reading);
      const opened = await status(h);
      expect(Date.parse(opened.reading!.dueAt) - Date.parse(opened.reading!.openedAt)).toBe(60 * MINUTE);

      await env.sleep(40 * MINUTE);
      expect(s.sla).toEqual([]);
      await env.sleep(10 * MINUTE); // 50 min: past the warning (45 min)
      await waitFor('SLA warning', async () => s.sla.length === 1, 10_000);
      expect((await status(h)).reading).toMatchObject({ warned: true, breached: false });
      await env.sleep(15 * MINUTE); // 65 min: breached
      await waitFor('SLA breach', async () => s.sla.length === 2, 10_000);
      expect(s.sla).toEqual(['warning', 'breach']);
      expect((await status(h)).reading).toMatchObject({ warned: true, breached: true });

      // A breached task is still read and signed.
      await h.executeUpdate(claimReadingUpdate, { args: [ALICE] });
      await h.executeUpdate(signReportUpdate, { args: [{ ...ALICE, findings: '', conclusion: 'Pas de saignement.' }] });
      expect((await h.result()).state).toBe(PathwayState.Closed);
      expect(s.sla).toEqual(['warning', 'breach']);
    });
  });

  it('images before MPPS: goes on after the MPPS grace with a finding; missing dose recorded after its wait', async () => {
    await withPathway('urgent', {}, async (h, s) => {
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'study', studyUid: '2.25.1', at: '2026-12-01T09:41:00Z' });
      await stateIs(h, PathwayState.Acquiring);
      const waiting = await status(h);
      expect(waiting.acquisition.study?.studyUid).toBe('2.25.1');
      expect(waiting.acquisition.mppsGraceUntil).not.toBeNull();
      expect(s.progress.find((p) => p.step === 'images-arrived')?.detail).toMatchObject({ before: 'mpps' });

      await env.sleep(31 * MINUTE);
      await stateIs(h, PathwayState.AwaitingDose);
      expect(s.findings).toEqual(['images-without-mpps']);
      await env.sleep(61 * MINUTE);
      await stateIs(h, PathwayState.Reading);
      expect(s.findings).toEqual(['images-without-mpps', 'missing-dose']);
      expect((await status(h)).dose.found).toBe(false);
      await h.signal(cancelSignal, { by: 'coord', reason: 'duplicate exam' });
      expect((await h.result()).state).toBe(PathwayState.Cancelled);
    });
  });

  it('MPPS without images asks a coordinator after the grace; an attached study lets the pathway go on', async () => {
    await withPathway('routine', { doseFoundFromCall: 1 }, async (h, s) => {
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.5', status: 'COMPLETED', at: '2026-12-01T09:40:00Z' });
      await stateIs(h, PathwayState.Acquiring);
      await env.sleep(121 * MINUTE);
      await waitFor('attention mpps-without-images', async () => (await status(h)).attention === 'mpps-without-images', 10_000);
      await h.signal(acquisitionSignal, { kind: 'study', studyUid: '2.25.77', at: '2026-12-01T12:00:00Z', by: 'coord' });
      await stateIs(h, PathwayState.Reading);
      expect((await status(h)).attention).toBeNull();
      expect(s.named('completeAcquisition')).toEqual([expect.objectContaining({ studyUid: '2.25.77', findings: [] })]);
      await h.signal(cancelSignal, { by: 'coord', reason: null });
      await h.result();
      expect(s.named('cancelExam')).toHaveLength(1);
    });
  });

  it('MPPS discontinued returns to scheduled with attention, and may be rescheduled', async () => {
    await withPathway('routine', {}, async (h) => {
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.6', status: 'IN PROGRESS', at: '2026-12-01T09:31:00Z' });
      await stateIs(h, PathwayState.Acquiring);
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.6', status: 'DISCONTINUED', at: '2026-12-01T09:35:00Z' });
      await waitFor('attention mpps-discontinued', async () => (await status(h)).attention === 'mpps-discontinued', 10_000);
      expect((await status(h)).state).toBe(PathwayState.Scheduled);
      const again = await h.executeUpdate(scheduleUpdate, { args: [{ ...SLOT, scheduledAt: '2026-12-03T08:00:00+01:00' }] });
      expect(again).toMatchObject({ state: PathwayState.Scheduled, attention: null });
      await h.signal(cancelSignal, { by: 'coord', reason: null });
      await h.result();
    });
  });

  it('a priority raised during reading re-arms the SLA timers on the new deadline; nothing changes once reported', async () => {
    // One delivery failure keeps the pathway in `reported` (waiting out its backoff) while the change is tried.
    await withPathway('routine', { doseFoundFromCall: 1, deliveryFailures: 1 }, async (h, s) => {
      const COORD = { by: 'coord', roles: ['coordinator'] };
      expect(await refusal(h.executeUpdate(changeRequestUpdate, { args: [COORD] }))).toBe('PathwayInvalidInput');
      expect(await refusal(h.executeUpdate(changeRequestUpdate, { args: [{ by: 'rad', roles: ['radiologist'], priority: 'urgent' }] }))).toBe('PathwayRoleRefused');
      await h.executeUpdate(scheduleUpdate, { args: [SLOT] });
      await h.signal(acquisitionSignal, { kind: 'mpps', sopInstanceUid: '1.2.7', status: 'COMPLETED', at: '2026-12-01T09:40:00Z' });
      await h.signal(acquisitionSignal, { kind: 'study', studyUid: '2.25.1', at: '2026-12-01T09:41:00Z' });
      await stateIs(h, PathwayState.Reading);
      const before = (await status(h)).reading!;
      expect(Date.parse(before.dueAt) - Date.parse(before.openedAt)).toBe(72 * 60 * MINUTE);

      await env.sleep(10 * MINUTE);
      const changed = await h.executeUpdate(changeRequestUpdate, { args: [{ ...COORD, priority: 'emergency', clinicalInformation: 'Aggravation' }] });
      expect(changed.priority).toBe('emergency');
      expect(Date.parse(changed.reading!.dueAt) - Date.parse(before.openedAt)).toBe(60 * MINUTE);
      expect(s.named('changeRequest')).toEqual([{ requestId: expect.any(String), by: 'coord', priority: 'emergency', clinicalInformation: 'Aggravation' }]);

      await env.sleep(40 * MINUTE); // 50 min after opening: past the new warning (45 min)
      await waitFor('SLA warning on the new deadline', async () => s.sla.length === 1, 10_000);
      await env.sleep(15 * MINUTE);
      await waitFor('SLA breach on the new deadline', async () => s.sla.length === 2, 10_000);

      await h.executeUpdate(claimReadingUpdate, { args: [ALICE] });
      await h.executeUpdate(signReportUpdate, { args: [{ ...ALICE, findings: '', conclusion: 'RAS' }] });
      await waitFor('first delivery attempt failed', async () => (await status(h)).results?.attempts === 1, 10_000);
      expect((await status(h)).state).toBe(PathwayState.Reported);
      expect(await refusal(h.executeUpdate(changeRequestUpdate, { args: [{ ...COORD, priority: 'routine' }] }))).toBe('PathwayWrongState');
      expect((await h.result()).state).toBe(PathwayState.Closed);
    });
  });
});
