import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CatalogService, ForwardJobService } from '@krypton/catalog';
import { findDestination, KryptonConfig } from '@krypton/config';
import { DimseStatus, isPermanentStoreFailure, storeFiles } from '@krypton/dicom-network';
import type { ObjectStore } from '@krypton/storage';
import type { ForwardActivities, ForwardBatchResult } from '@krypton/workflows/routing';

export interface ForwardDeps {
  readonly cfg: KryptonConfig;
  readonly catalog: CatalogService;
  readonly jobs: ForwardJobService;
  readonly store: ObjectStore;
}

const isSuccess = (s: number) => s === DimseStatus.Success || (s & 0xf000) === 0xb000;

export function createForwardActivities({ cfg, catalog, jobs, store }: ForwardDeps): ForwardActivities {
  async function tally(jobId: string, studyUid: string): Promise<ForwardBatchResult & { todo: string[] }> {
    const all = await catalog.locate({ studyUids: [studyUid] });
    const settled = await jobs.settled(jobId);
    const view = await jobs.get(jobId);
    const todo = all.filter((i) => !settled.has(i.sopInstanceUid)).map((i) => i.sopInstanceUid);
    return { total: all.length, sent: view?.sent ?? 0, refused: view?.failed ?? 0, remaining: todo.length, todo };
  }

  return {
    async openForward({ jobId, studyUid, destination, requestedBy }) {
      if (!findDestination(cfg, destination)) {
        throw ApplicationFailure.create({ type: 'UnknownDestination', message: `unknown destination "${destination}"`, nonRetryable: true });
      }
      const all = await catalog.locate({ studyUids: [studyUid] });
      if (all.length === 0) {
        throw ApplicationFailure.create({ type: 'StudyNotFound', message: `study ${studyUid} has no instances`, nonRetryable: true });
      }
      await jobs.open(jobId, studyUid, destination, requestedBy, all.length);
      const { todo: _todo, ...counts } = await tally(jobId, studyUid);
      return counts;
    },

    async forwardBatch({ jobId, studyUid, destination }) {
      const dest = findDestination(cfg, destination);
      if (!dest) {
        throw ApplicationFailure.create({ type: 'UnknownDestination', message: `unknown destination "${destination}"`, nonRetryable: true });
      }
      const before = await tally(jobId, studyUid);
      const batch = before.todo.slice(0, cfg.forwarding.batchSize);
      const locations = await catalog.locate({ sopInstanceUids: batch });
      const files = await Promise.all(locations.map(async (l) => ({ sopInstanceUid: l.sopInstanceUid, path: await store.localPath(l.storageKey) })));
      let settledNow = 0;
      let lastTransient: string | null = null;
      // Liveness apart from progress: a worker that dies mid-batch is noticed within the heartbeat
      // timeout (seconds), while one slow instance on a slow link never looks like a dead worker.
      const ctx = Context.current();
      const alive = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        await storeFiles(dest, files, {
          callingAeTitle: cfg.dicom.aeTitle,
          onResult: async (r) => {
            Context.current().heartbeat({ sopInstanceUid: r.sopInstanceUid });
            const status = r.status ?? 0xffff;
            if (isSuccess(status)) {
              await jobs.record(jobId, r.sopInstanceUid, 'sent', status, null);
              settledNow++;
            } else if (isPermanentStoreFailure(status)) {
              await jobs.record(jobId, r.sopInstanceUid, 'refused', status, r.detail ?? `status 0x${status.toString(16)}`);
              settledNow++;
            } else {
              lastTransient = `${r.sopInstanceUid}: status 0x${status.toString(16)}${r.detail ? ` (${r.detail})` : ''}`;
            }
          },
        });
      } catch (e) {
        await jobs.update(jobId, 'waiting-for-destination', e.message);
        throw ApplicationFailure.create({ type: e.name ?? 'SendFailed', message: e.message, nonRetryable: false });
      } finally {
        clearInterval(alive);
      }
      if (batch.length > 0 && settledNow === 0) {
        // Only transient refusals: back off rather than spin.
        const message = lastTransient ?? 'destination answered no instance';
        await jobs.update(jobId, 'waiting-for-destination', message);
        throw ApplicationFailure.create({ type: 'DestinationBusy', message, nonRetryable: false });
      }
      await jobs.update(jobId, 'running', lastTransient);
      const { todo: _todo, ...after } = await tally(jobId, studyUid);
      return after;
    },

    async recordForwardState(jobId, state, lastError) {
      await jobs.update(jobId, state, lastError);
    },
  };
}
