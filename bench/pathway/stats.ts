/** Small measuring helpers for the pathway benchmark: percentiles, bounded concurrency, progress lines. */

export interface Spread {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Nearest-rank percentile (p in 0..100) of an unsorted list; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function spread(xs: readonly number[]): Spread {
  return { n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: xs.length ? Math.max(...xs) : Number.NaN };
}

export function say(msg: string): void {
  process.stderr.write(`[bench:pathway ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Seconds since `t0` (a performance.now() value). */
export function secondsSince(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight. The first failure stops
 * new calls and is rethrown once the calls in flight have settled, so a broken hub does not
 * produce thousands of identical errors.
 */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== null) throw failure;
}

/** Prints "label: done/total (rate/s)" to stderr every `everyMs` until stopped; long phases stay visibly alive. */
export function progress(label: string, total: number, done: () => number, everyMs = 5000): { stop: () => void } {
  const t0 = performance.now();
  const timer = setInterval(() => {
    const d = done();
    say(`${label}: ${d}/${total} (${(d / secondsSince(t0)).toFixed(1)}/s)`);
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
