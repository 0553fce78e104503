import type { HubRest, Priority, Slot } from './hub-rest';
import { CONCURRENCY } from './settings';
import { forEachBounded, progress } from './stats';

/** One request of a batch: how it is created, and where and how far ahead it is scheduled. */
export interface PlannedRequest {
  readonly placer: string;
  readonly priority: Priority;
  readonly slot: Slot;
  readonly procedureCode?: string;
  /** The slot is this far after the moment it is scheduled. */
  readonly scheduleInMs: number;
}

export interface CreatedBatch {
  readonly ids: readonly string[];
  /** The Study Instance UID each request was given at scheduling, by index. */
  readonly studies: readonly string[];
  /** performance.now() when the last request was created, and when the last one was scheduled. */
  readonly tCreated: number;
  readonly tScheduled: number;
}

/**
 * Creates `n` requests by REST, then schedules each (an Update), both with the benchmark's bounded
 * concurrency and a progress line on stderr: the set-up both parts of bench:pathway start from.
 */
export async function createAndSchedule(rest: HubRest, n: number, plan: (i: number) => PlannedRequest): Promise<CreatedBatch> {
  const planned = Array.from({ length: n }, (_, i) => plan(i));
  const ids: string[] = new Array(n);
  const studies: string[] = new Array(n);
  let done = 0;
  let p = progress('create', n, () => done);
  await forEachBounded(planned, CONCURRENCY, async (r, i) => {
    ids[i] = await rest.createRequest(r.placer, r.priority, r.slot.site, r.procedureCode);
    done++;
  });
  p.stop();
  const tCreated = performance.now();
  done = 0;
  p = progress('schedule', n, () => done);
  await forEachBounded(ids, CONCURRENCY, async (id, i) => {
    studies[i] = await rest.schedule(id, planned[i].slot, new Date(Date.now() + planned[i].scheduleInMs).toISOString());
    done++;
  });
  p.stop();
  return { ids, studies, tCreated, tScheduled: performance.now() };
}
