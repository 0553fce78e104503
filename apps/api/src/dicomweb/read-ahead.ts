/** How far a WADO-RS answer reads ahead of what is being written: objects, and bytes. */
export interface ReadAheadLimits {
  readonly maxObjects: number;
  readonly maxBytes: number;
}

export const WADO_READ_AHEAD: ReadAheadLimits = { maxObjects: 8, maxBytes: 32 * 1024 * 1024 };

/**
 * The results of `read` over `items`, in order, with the next reads already under way while the
 * caller writes one out: a study's files are read by the thread pool while the socket drains, not
 * one after the other (each read is several thread-pool round trips, which left the connection
 * idle between instances). At most `maxObjects` reads, and `maxBytes` of their `size`, are ahead
 * (one object is always read, whatever its size). A failed read throws when its turn comes; reads
 * still under way when the caller stops are left to finish and dropped.
 */
export async function* readAhead<T, R>(items: readonly T[], read: (item: T) => Promise<R>, size: (item: T) => number, limits: ReadAheadLimits = WADO_READ_AHEAD): AsyncGenerator<R> {
  const ahead: { result: Promise<R>; size: number }[] = [];
  let next = 0;
  let bytes = 0;
  const fill = () => {
    while (next < items.length && ahead.length < limits.maxObjects) {
      const s = size(items[next]);
      if (ahead.length > 0 && bytes + s > limits.maxBytes) break;
      const result = read(items[next++]);
      // Observed now so that a read failing while earlier parts are written is not an unhandled rejection.
      result.catch(() => undefined);
      ahead.push({ result, size: s });
      bytes += s;
    }
  };
  fill();
  while (ahead.length) {
    const head = ahead.shift()!;
    const value = await head.result;
    bytes -= head.size;
    fill();
    yield value;
  }
}
