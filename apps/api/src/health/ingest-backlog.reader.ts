import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { IngestBacklogStore } from '@krypton/catalog';
import { INDEX_QUEUE, INGEST_BACKLOG_KEY_PREFIX } from '@krypton/queue';

/** What the ingest pipeline still has to do, stage by stage (GET /health, GET /metrics). */
export interface IngestBacklog {
  /** Objects stored and acknowledged whose instance is not in the catalogue yet (every ingesting process). */
  readonly unindexed: number;
  /** Index jobs waiting, running or waiting to retry. */
  readonly indexJobs: number;
  /** Studies whose latest instances have not been handed to Temporal and the matcher yet. */
  readonly studiesAwaitingStable: number;
  /** Dose-bearing instances whose dose is not filed yet. */
  readonly instancesAwaitingDose: number;
}

@Injectable()
export class IngestBacklogReader {
  constructor(
    @InjectQueue(INDEX_QUEUE) private readonly queue: Queue,
    private readonly store: IngestBacklogStore,
  ) {}

  async read(): Promise<IngestBacklog> {
    const [unindexed, counts, studiesAwaitingStable, instancesAwaitingDose] = await Promise.all([
      this.unindexed(),
      this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      this.store.studiesAwaitingStable(),
      this.store.instancesAwaitingDose(),
    ]);
    const indexJobs = Object.values(counts).reduce((a, b) => a + b, 0);
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
