import { readAhead } from './read-ahead';

const tick = () => new Promise((r) => setImmediate(r));

describe('readAhead', () => {
  it('yields the reads in order, with no more than maxObjects and maxBytes under way', async () => {
    const started: number[] = [];
    const resolvers = new Map<number, (v: string) => void>();
    const read = (n: number) => {
      started.push(n);
      return new Promise<string>((r) => resolvers.set(n, r));
    };
    const it = readAhead([1, 2, 3, 4, 5, 6], read, (n) => (n === 3 ? 50 : 10), { maxObjects: 3, maxBytes: 60 });
    const first = it.next();
    await tick();
    // 1, 2 (20 bytes); 3 would make 70 > 60.
    expect(started).toEqual([1, 2]);
    // Later reads finish first: the order stays the items'.
    resolvers.get(2)!('two');
    resolvers.get(1)!('one');
    expect((await first).value).toBe('one');
    await tick();
    expect(started).toEqual([1, 2, 3]);
    const second = await it.next();
    expect(second.value).toBe('two');
    await tick();
    // 3 (50) alone ahead, then 4 (10) fits: 60.
    expect(started).toEqual([1, 2, 3, 4]);
    for (const n of [3, 4, 5, 6]) {
      const p = it.next();
      await tick();
      resolvers.get(n)!(`#${n}`);
      expect((await p).value).toBe(`#${n}`);
    }
    expect((await it.next()).done).toBe(true);
  });

  it('reads one object larger than maxBytes on its own, and throws a failed read at its turn', async () => {
    const big = readAhead(
      [100, 1],
      async (n) => n,
      (n) => n,
      { maxObjects: 4, maxBytes: 10 },
    );
    expect((await big.next()).value).toBe(100);
    expect((await big.next()).value).toBe(1);
    const failing = readAhead(
      [1, 2],
      async (n) => {
        if (n === 2) throw new Error('gone');
        return n;
      },
      () => 1,
    );
    expect((await failing.next()).value).toBe(1);
    await expect(failing.next()).rejects.toThrow('gone');
  });
});
