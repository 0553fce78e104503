import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { Client } from '@temporalio/client';
import { CatalogService } from '@krypton/catalog';
import { aliveCount, INDEX_QUEUE, type ProcessRole } from '@krypton/queue';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { IngestBacklog, IngestBacklogReader } from './ingest-backlog.reader';

export type HealthCheck = { status: 'up' | 'down'; detail?: string };
export const HEALTH_CHECKS = ['database', 'redis', 'temporal', 'worker', 'gateway', 'hl7Gateway'] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

export interface HealthReport {
  readonly status: 'up' | 'down';
  readonly down: HealthCheckName[];
  readonly checks: Record<HealthCheckName, HealthCheck>;
  readonly ingestBacklog: IngestBacklog | { error?: string };
}

async function check(fn: () => Promise<string | void>, timeoutMs = 3000): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return detail ? { status: 'up', detail } : { status: 'up' };
  } catch (e) {
    return { status: 'down', detail: e.message };
  } finally {
    clearTimeout(timer);
  }
}

/** The hub's health as GET /health and the administrator's console both show it. */
@Injectable()
export class HealthService {
  constructor(
    private readonly catalog: CatalogService,
    @InjectQueue(INDEX_QUEUE) private readonly queue: Queue,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly backlog: IngestBacklogReader,
  ) {}

  async report(): Promise<HealthReport> {
    // BullMQ's client is an ioredis connection; the heartbeat scan uses it directly.
    const redis = (await this.queue.client) as unknown as Redis;
    let ingestBacklog: IngestBacklog | undefined;
    const alive = (role: ProcessRole, what: string) => async () => {
      const n = await aliveCount(redis, role);
      if (n === 0) throw new Error(`no ${what} has reported in the last 15 s`);
      return `${n} running`;
    };
    const [database, redisCheck, temporal, worker, gateway, hl7Gateway, backlogCheck] = await Promise.all([
      check(() => this.catalog.ping()),
      check(async () => void (await redis.ping())),
      check(async () => void (await this.temporal.workflowService.getSystemInfo({}))),
      check(alive('worker', 'worker')),
      check(alive('gateway', 'DICOM gateway')),
      check(alive('hl7-gateway', 'HL7 gateway')),
      // Reported, not judged: a backlog drains by itself once what it waits for is back.
      check(async () => void (ingestBacklog = await this.backlog.read())),
    ]);
    const checks = { database, redis: redisCheck, temporal, worker, gateway, hl7Gateway };
    const down = HEALTH_CHECKS.filter((k) => checks[k].status === 'down');
    return { status: down.length ? 'down' : 'up', down, checks, ingestBacklog: ingestBacklog ?? { error: backlogCheck.detail } };
  }
}
