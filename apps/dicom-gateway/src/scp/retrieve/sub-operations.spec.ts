import { PENDING_INTERVAL_MS, SubOperations } from './retrieve';

describe('SubOperations.pendingDue', () => {
  it('allows one pending response per interval, and none once nothing remains', () => {
    const ops = new SubOperations(3);
    ops.record('1.1', 0);
    expect(ops.pendingDue(10_000)).toBe(true);
    ops.record('1.2', 0);
    expect(ops.pendingDue(10_000 + PENDING_INTERVAL_MS - 1)).toBe(false);
    expect(ops.pendingDue(10_000 + PENDING_INTERVAL_MS)).toBe(true);
    ops.record('1.3', 0xa700);
    expect(ops.remaining).toBe(0);
    expect(ops.pendingDue(99_999)).toBe(false);
  });
});
