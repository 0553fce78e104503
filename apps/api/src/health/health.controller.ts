import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Response } from 'express';
import { Client } from '@temporalio/client';
import { CatalogService } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { Public } from '@krypton/auth';
import { aliveCount, INDEX_QUEUE } from '@krypton/queue';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { IngestBacklog, IngestBacklogReader } from './ingest-backlog.reader';

type Check = { status: 'up' | 'down'; detail?: string };

async function check(fn: () => Promise<string | void>, timeoutMs = 3000): Promise<Check> {
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

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly catalog: CatalogService,
    @InjectQueue(INDEX_QUEUE) private readonly queue: Queue,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly backlog: IngestBacklogReader,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: '200 when PostgreSQL, Redis, Temporal, a worker, a DICOM gateway and an HL7 gateway are all up; 503 naming what is not. Reports the ingest backlog per stage (ingestBacklog).',
  })
  async health(@Res() res: Response): Promise<void> {
    // BullMQ's client is an ioredis connection; the heartbeat scan uses it directly.
    const redis = (await this.queue.client) as unknown as Redis;
    let ingestBacklog: IngestBacklog | undefined;
    const [database, redisCheck, temporal, worker, gateway, hl7Gateway, backlogCheck] = await Promise.all([
      check(() => this.catalog.ping()),
      check(async () => void (await redis.ping())),
      check(async () => void (await this.temporal.workflowService.getSystemInfo({}))),
      check(async () => {
        const n = await aliveCount(redis, 'worker');
        if (n === 0) throw new Error('no worker has reported in the last 15 s');
        return `${n} running`;
      }),
      check(async () => {
        const n = await aliveCount(redis, 'gateway');
        if (n === 0) throw new Error('no DICOM gateway has reported in the last 15 s');
        return `${n} running`;
      }),
      check(async () => {
        const n = await aliveCount(redis, 'hl7-gateway');
        if (n === 0) throw new Error('no HL7 gateway has reported in the last 15 s');
        return `${n} running`;
      }),
      // Reported, not judged: a backlog drains by itself once what it waits for is back.
      check(async () => void (ingestBacklog = await this.backlog.read())),
    ]);
    const checks = { database, redis: redisCheck, temporal, worker, gateway, hl7Gateway };
    const down = Object.entries(checks)
      .filter(([, c]) => c.status === 'down')
      .map(([k]) => k);
    res
      .status(down.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
      .json({ status: down.length ? 'down' : 'up', down, checks, ingestBacklog: ingestBacklog ?? { error: backlogCheck.detail } });
  }
}
