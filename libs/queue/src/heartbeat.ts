import Redis from 'ioredis';
import { hostname } from 'node:os';

export type ProcessRole = 'worker' | 'gateway' | 'hl7-gateway';

const TTL_SECONDS = 15;
const EVERY_MS = 5000;

/**
 * Liveness of scaled-out processes, kept in Redis with a TTL: a copy that dies stops refreshing
 * its key and disappears from the count within TTL_SECONDS. `isAlive` lets a process stop beating
 * while it is up but not doing its job (a Temporal worker that lost its server).
 */
export function startHeartbeat(redisUrl: string, role: ProcessRole, isAlive: () => boolean = () => true): () => Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const key = `krypton:heartbeat:${role}:${hostname()}:${process.pid}`;
  const beat = () => {
    if (isAlive()) redis.set(key, new Date().toISOString(), 'EX', TTL_SECONDS).catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.del(key).catch(() => undefined);
    redis.disconnect();
  };
}

export async function aliveCount(redis: Redis, role: ProcessRole): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `krypton:heartbeat:${role}:*`, 'COUNT', 100);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}
