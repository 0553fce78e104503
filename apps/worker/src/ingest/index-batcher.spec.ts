import { IndexBatcher } from './index-batcher';

const rec = (n: number) => ({ sopInstanceUid: `1.2.${n}` }) as any;

describe('IndexBatcher', () => {
  it('groups concurrent jobs into one write and answers each in order', async () => {
    const calls: number[] = [];
    const b = new IndexBatcher(async (items) => {
      calls.push(items.length);
      return items.map((i) => (i.replace ? 'replaced' : 'inserted'));
    });
    const out = await Promise.all([b.index(rec(1), false), b.index(rec(2), true), b.index(rec(3), false)]);
    expect(out).toEqual(['inserted', 'replaced', 'inserted']);
    expect(calls).toEqual([3]);
  });

  it('never runs two writes at once and caps the batch size', async () => {
    let running = 0;
    let maxRunning = 0;
    const sizes: number[] = [];
    const b = new IndexBatcher(async (items) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return items.map(() => 'inserted' as const);
    }, 4, 1);
    await Promise.all(Array.from({ length: 10 }, (_, i) => b.index(rec(i), false)));
    expect(maxRunning).toBe(1);
    expect(sizes.every((n) => n <= 4)).toBe(true);
    expect(sizes.reduce((a, c) => a + c, 0)).toBe(10);
  });

  it('fails every job of a failed batch', async () => {
    const b = new IndexBatcher(async () => {
      throw new Error('database down');
    });
    await expect(Promise.all([b.index(rec(1), false), b.index(rec(2), false)])).rejects.toThrow('database down');
  });
});
