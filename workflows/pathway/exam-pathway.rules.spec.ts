import { ApplicationFailure } from '@temporalio/workflow';
import { checkClaim, checkRelease, checkSchedule, checkSign } from './exam-pathway.rules';
import { initialPathwayStatus, PathwayState, type PathwayStatus } from './contract';

const base: PathwayStatus = initialPathwayStatus('r1', 'routine');
const reading: PathwayStatus = {
  ...base,
  state: PathwayState.Reading,
  reading: { pool: 'p1', openedAt: '2026-12-01T10:00:00Z', warnAt: '2026-12-01T10:45:00Z', dueAt: '2026-12-01T11:00:00Z', claimedBy: null, warned: false, breached: false },
};
const SLOT = { by: 'c', roles: ['coordinator'], site: 'chu-nord', aeTitle: 'MODALITY1', scheduledAt: '2026-12-01T09:30:00+01:00' };
const ALICE = { by: 'alice', roles: ['radiologist'], pools: ['p1'] };

function refusal(run: () => void): string | undefined {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ApplicationFailure);
    return (e as ApplicationFailure).type ?? undefined;
  }
  return undefined;
}

describe('pathway Update rules', () => {
  it('schedules before acquisition only; a discontinued MPPS does not count as started', () => {
    expect(refusal(() => checkSchedule(base, null, SLOT))).toBeUndefined();
    expect(refusal(() => checkSchedule({ ...base, state: PathwayState.Scheduled }, null, SLOT))).toBeUndefined();
    const started = { ...base, state: PathwayState.Acquiring, acquisition: { ...base.acquisition, mpps: { sopInstanceUid: '1', status: 'IN PROGRESS', at: 'x' } } };
    expect(refusal(() => checkSchedule(started, null, SLOT))).toBe('PathwayWrongState');
    const discontinued = { ...started, state: PathwayState.Scheduled, acquisition: { ...started.acquisition, mpps: { sopInstanceUid: '1', status: 'DISCONTINUED', at: 'x' } } };
    expect(refusal(() => checkSchedule(discontinued, null, SLOT))).toBeUndefined();
    expect(refusal(() => checkSchedule(base, 'being scheduled', SLOT))).toBe('PathwayWrongState');
    expect(refusal(() => checkSchedule(base, null, { ...SLOT, roles: ['referrer'] }))).toBe('PathwayRoleRefused');
    expect(refusal(() => checkSchedule(base, null, { ...SLOT, scheduledAt: 'tomorrow' }))).toBe('PathwayInvalidInput');
  });

  it('claims only in the pool, exclusively, and idempotently for the holder', () => {
    expect(refusal(() => checkClaim(base, null, ALICE))).toBe('PathwayWrongState');
    expect(refusal(() => checkClaim(reading, null, { ...ALICE, pools: ['p2'] }))).toBe('PathwayRoleRefused');
    expect(refusal(() => checkClaim(reading, null, { ...ALICE, roles: ['coordinator'] }))).toBe('PathwayRoleRefused');
    expect(refusal(() => checkClaim(reading, null, ALICE))).toBeUndefined();
    const held = { ...reading, reading: { ...reading.reading!, claimedBy: 'bob' } };
    expect(refusal(() => checkClaim(held, null, ALICE))).toBe('ReadingTaskTaken');
    expect(refusal(() => checkClaim(held, null, { ...ALICE, by: 'bob' }))).toBeUndefined();
  });

  it('releases by the holder or a coordinator; signs by the holder with a conclusion', () => {
    const held = { ...reading, reading: { ...reading.reading!, claimedBy: 'alice' } };
    expect(refusal(() => checkRelease(reading, null, ALICE))).toBe('PathwayWrongState');
    expect(refusal(() => checkRelease(held, null, { ...ALICE, by: 'bob' }))).toBe('ReadingTaskTaken');
    expect(refusal(() => checkRelease(held, null, { by: 'coord', roles: ['coordinator'], pools: [] }))).toBeUndefined();
    expect(refusal(() => checkSign(reading, null, { ...ALICE, findings: '', conclusion: 'ok' }))).toBe('ReadingTaskTaken');
    expect(refusal(() => checkSign(held, null, { ...ALICE, findings: '', conclusion: '  ' }))).toBe('PathwayInvalidInput');
    expect(refusal(() => checkSign(held, 'being signed', { ...ALICE, findings: '', conclusion: 'ok' }))).toBe('PathwayWrongState');
    expect(refusal(() => checkSign(held, null, { ...ALICE, findings: '', conclusion: 'ok' }))).toBeUndefined();
  });
});
