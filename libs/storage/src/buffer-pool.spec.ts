import { BufferPool } from './buffer-pool';

describe('BufferPool', () => {
  it('gives a buffer back out for a request it can hold, and makes a new one for a larger request', () => {
    const pool = new BufferPool(1024, 1 << 20);
    const a = pool.take(100);
    expect(a.length).toBe(1024);
    pool.give(a);
    expect(pool.take(1000)).toBe(a);
    const big = pool.take(5000);
    expect(big.length).toBe(5000);
    pool.give(big);
    expect(pool.take(2000)).toBe(big);
  });

  it('never hands out a buffer twice, and keeps no more free bytes than its bound', () => {
    const pool = new BufferPool(1024, 2048);
    const [a, b, c] = [pool.take(10), pool.take(10), pool.take(10)];
    for (const x of [a, b, c]) pool.give(x);
    const again = [pool.take(10), pool.take(10), pool.take(10)];
    expect(new Set(again).size).toBe(3);
    // Two of the three were kept (2048 bytes); the third is new.
    expect(again.filter((x) => x === a || x === b || x === c)).toHaveLength(2);
  });
});
