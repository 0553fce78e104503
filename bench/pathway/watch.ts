import type { Client as PgClient } from 'pg';
import { WAIT_LIMIT_MS } from './settings';
import { progress, sleep } from './stats';

/** Polls `query` (ids → ids that are done) for the ids not done yet, every `everyMs`; records when each was first seen. */
export async function watch(pg: PgClient, query: string, ids: readonly string[], eligible: (id: string) => boolean, everyMs: number, what: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const started = performance.now();
  const p = progress(what, ids.length, () => seen.size);
  try {
    while (seen.size < ids.length) {
      const pending = ids.filter((id) => !seen.has(id) && eligible(id));
      if (pending.length) {
        const rows = (await pg.query<{ id: string }>(query, [pending])).rows;
        const now = performance.now();
        for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, now);
      }
      if (performance.now() - started > WAIT_LIMIT_MS) throw new Error(`${what}: only ${seen.size}/${ids.length} after ${WAIT_LIMIT_MS / 1000} s`);
      await sleep(everyMs);
    }
  } finally {
    p.stop();
  }
  return seen;
}
