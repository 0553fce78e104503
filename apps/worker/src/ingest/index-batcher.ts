import type { IndexOutcome, StoredInstance } from '@krypton/catalog';

interface Pending {
  readonly rec: StoredInstance;
  readonly replace: boolean;
  readonly resolve: (o: IndexOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Groups the index jobs that BullMQ runs concurrently in this worker into one database call.
 * One flush runs at a time; what arrives meanwhile waits for the next, so batches grow with the
 * load and a lone job waits at most `lingerMs`. A failed batch fails each of its jobs, which
 * BullMQ retries (indexing is idempotent).
 */
export class IndexBatcher {
  private pending: Pending[] = [];
  private flushing = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly write: (items: { rec: StoredInstance; replace: boolean }[]) => Promise<IndexOutcome[]>,
    private readonly maxBatch = 64,
    private readonly lingerMs = 5,
  ) {}

  index(rec: StoredInstance, replace: boolean): Promise<IndexOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rec, replace, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, this.maxBatch);
    try {
      const outcomes = await this.write(batch.map(({ rec, replace }) => ({ rec, replace })));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (e) {
      batch.forEach((p) => p.reject(e));
    } finally {
      this.flushing = false;
      if (this.pending.length) void this.flush();
    }
  }
}
