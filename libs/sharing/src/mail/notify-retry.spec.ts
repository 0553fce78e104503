import { notifyAttempts, notifyBackoffMs } from './notify-retry';

describe('share notification retries', () => {
  const r = { initialMs: 5_000, maxMs: 900_000, giveUpAfterMs: 72 * 3_600_000 };

  it('double from the first delay and stop at the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => notifyBackoffMs(n, r))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(notifyBackoffMs(9, r)).toBe(900_000);
    expect(notifyBackoffMs(500, r)).toBe(900_000);
  });

  it('cover the give-up horizon, however long the relay stays down', () => {
    const n = notifyAttempts(r);
    const waited = Array.from({ length: n - 1 }, (_, i) => notifyBackoffMs(i + 1, r)).reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(r.giveUpAfterMs);
    expect(waited - notifyBackoffMs(n - 1, r)).toBeLessThan(r.giveUpAfterMs);
    expect(notifyAttempts({ initialMs: 1_000, maxMs: 2_000, giveUpAfterMs: 6_000 })).toBe(5); // 1 + 2 + 2 + 2 s
  });
});
