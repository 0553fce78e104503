import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { IngestBacklogStore } from '@krypton/catalog';
import { INDEX_QUEUE, INGEST_BACKLOG_KEY_PREFIX } from '@krypton/queue';

/**
 * What the ingest pipeline still has to do, stage by stage (GET /health, GET /metrics). Each count
 * is read on its own: null when its store does not answer (the backlog matters most precisely
 * when PostgreSQL or Redis is down).
 */
export interface IngestBacklog {
  /** Objects stored and acknowledged whose instance is not in the catalogue yet (every ingesting process; Redis). */
  readonly unindexed: number | null;
  /** Index jobs waiting, running or waiting to retry (Redis). */
  readonly indexJobs: number | null;
  /** Studies whose latest instances have not been handed to Temporal and the matcher yet (PostgreSQL). */
  readonly studiesAwaitingStable: number | null;
  /** Dose-bearing instances whose dose is not filed yet (PostgreSQL). */
  readonly instancesAwaitingDose: number | null;
}

const READ_TIMEOUT_MS = 2000;

/** The value, or null if it fails or takes too long. */
function orNull<T>(p: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READ_TIMEOUT_MS)))])
    .catch(() => null)
    .finally(() => clearTimeout(timer));
}

@Injectable()
export class IngestBacklogReader {
  constructor(
    @InjectQueue(INDEX_QUEUE) private readonly queue: Queue,
    private readonly store: IngestBacklogStore,
  ) {}

  async read(): Promise<IngestBacklog> {
    const [unindexed, counts, studiesAwaitingStable, instancesAwaitingDose] = await Promise.all([
      orNull(this.unindexed()),
      orNull(this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
      orNull(this.store.studiesAwaitingStable()),
      orNull(this.store.instancesAwaitingDose()),
    ]);
    const indexJobs = counts && Object.values(counts).reduce((a, b) => a + b, 0);
    return { unindexed, indexJobs, studiesAwaitingStable, instancesAwaitingDose };
  }

  /** The sum of what each ingesting process publishes (its journal's backlog, refreshed every 2 s). */
  private async unindexed(): Promise<number> {
    const redis = (await this.queue.client) as unknown as Redis;
    let cursor = '0';
    let total = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${INGEST_BACKLOG_KEY_PREFIX}*`, 'COUNT', 100);
      cursor = next;
      if (keys.length) for (const v of await redis.mget(...keys)) total += Number(v ?? 0);
    } while (cursor !== '0');
    return total;
  }
}
