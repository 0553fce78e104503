import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CatalogService, ForwardItemOutcome, ForwardJobService } from '@krypton/catalog';
import { findDestination, findRoutingDestination, KryptonConfig } from '@krypton/config';
import { newUuidUid } from '@krypton/dicom-codec';
import { DimseStatus, initializeTranscoding, isPermanentStoreFailure, NO_PRESENTATION_CONTEXT, requestStorageCommitment, storeFiles, StowRefusedError, type StoreResult } from '@krypton/dicom-network';
import type { StorageCommitmentStore } from '@krypton/routing';
import type { ObjectStore } from '@krypton/storage';
import type { ForwardActivities, ForwardBatchResult } from '@krypton/workflows/routing';
import { sendByStow } from './stow-send';

/** A stable split of instances between parallel batches. */
function partOf(uid: string, parts: number): number {
  let h = 0;
  for (let i = 0; i < uid.length; i++) h = (h * 31 + uid.charCodeAt(i)) >>> 0;
  return h % parts;
}

export interface ForwardDeps {
  readonly cfg: KryptonConfig;
  readonly catalog: CatalogService;
  readonly jobs: ForwardJobService;
  readonly commitments: StorageCommitmentStore;
  readonly store: ObjectStore;
}

const isSuccess = (s: number) => s === DimseStatus.Success || (s & 0xf000) === 0xb000;

/** Answers are written in runs of this many (and at the end): one statement instead of one per instance. */
const RECORD_EVERY = 64;

function unknownDestination(destination: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'UnknownDestination', message: `unknown destination "${destination}"`, nonRetryable: true });
}

export function createForwardActivities({ cfg, catalog, jobs, commitments, store }: ForwardDeps): ForwardActivities {
  async function tally(jobId: string, studyUid: string) {
    // Three independent reads at once: the first batch's send waits on them.
    const [all, settled, view] = await Promise.all([catalog.locate({ studyUids: [studyUid] }), jobs.settled(jobId), jobs.get(jobId)]);
    const todo = all.filter((i) => !settled.has(i.sopInstanceUid));
    return { total: all.length, sent: view?.sent ?? 0, refused: view?.failed ?? 0, remaining: todo.length, todo };
  }
  const counts = ({ todo: _todo, ...c }: Awaited<ReturnType<typeof tally>>): ForwardBatchResult => c;

  return {
    async openForward({ jobId, studyUid, destination, requestedBy, origin }) {
      if (!findRoutingDestination(cfg, destination)) throw unknownDestination(destination);
      const opened = await jobs.open(jobId, studyUid, destination, requestedBy, origin ?? null);
      if (!opened) throw ApplicationFailure.create({ type: 'StudyNotFound', message: `study ${studyUid} has no instances`, nonRetryable: true });
      return opened;
    },

    async forwardBatch({ jobId, studyUid, destination, part = 0, parts = 1 }) {
      const dest = findRoutingDestination(cfg, destination);
      if (!dest) throw unknownDestination(destination);
      const before = await tally(jobId, studyUid);
      const mine = parts > 1 ? before.todo.filter((l) => partOf(l.sopInstanceUid, parts) === part) : before.todo;
      const batch = mine.slice(0, cfg.forwarding.batchSize);
      if (batch.length === 0) return counts(before);
      // Files go as stored when the destination takes their syntax; otherwise they are transcoded
      // with dcmjs-codecs (through dcmjs-dimse over DIMSE, through libs/dicom-codec for STOW-RS).
      if (dest.protocol === 'dimse') await initializeTranscoding();
      const files = await Promise.all(
        batch.map(async (l) => ({ sopInstanceUid: l.sopInstanceUid, sopClassUid: l.sopClassUid, transferSyntaxUid: l.transferSyntaxUid, path: await store.localPath(l.storageKey) })),
      );
      let settledNow = 0;
      let lastTransient: string | null = null;
      let pending: ForwardItemOutcome[] = [];
      const flush = async () => {
        const run = pending;
        pending = [];
        await jobs.recordMany(jobId, run);
      };
      // Liveness apart from progress: a worker that dies mid-batch is noticed within the heartbeat
      // timeout (seconds), while one slow instance on a slow link never looks like a dead worker.
      const ctx = Context.current();
      const alive = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        const onResult = async (r: StoreResult) => {
          const status = r.status ?? 0xffff;
          if (isSuccess(status)) {
            pending.push({ sopInstanceUid: r.sopInstanceUid, outcome: 'sent', status, detail: null });
            settledNow++;
          } else if (isPermanentStoreFailure(status)) {
            pending.push({ sopInstanceUid: r.sopInstanceUid, outcome: 'refused', status, detail: r.detail ?? `status 0x${status.toString(16)}` });
            settledNow++;
          } else {
            lastTransient = `${r.sopInstanceUid}: status 0x${status.toString(16)}${r.detail ? ` (${r.detail})` : ''}`;
          }
          // The first answer is written at once (the routing shows progress, and the benchmark's
          // "first answer" is when it came, not when the first run of answers was full).
          if (pending.length >= RECORD_EVERY || (pending.length > 0 && settledNow === pending.length)) await flush();
        };
        if (dest.protocol === 'dimse') {
          const answered = new Set<string>();
          const results = await storeFiles(dest, files, { callingAeTitle: cfg.dicom.aeTitle, onResult: (r) => (answered.add(r.sopInstanceUid), onResult(r)) });
          // Instances never sent because the destination accepted no presentation context for them
          // (0x0122 after a clean release) get no answer: they are refusals, not a destination that
          // answered nothing. Those a hang-up left unanswered (status null) are sent again.
          for (const r of results) if (!answered.has(r.sopInstanceUid) && r.status === NO_PRESENTATION_CONTEXT) await onResult(r);
        }
        // One POST per `instancesPerRequest`, each answer recorded before the next request.
        else await sendByStow(dest, dest.tokenEnv ? process.env[dest.tokenEnv] : undefined, files, onResult, flush);
      } catch (e) {
        await flush();
        await jobs.update(jobId, 'waiting-for-destination', e.message);
        // A STOW-RS request refused as such (authentication, no such service) waits for an operator.
        throw ApplicationFailure.create({ type: e.name ?? 'SendFailed', message: e.message, nonRetryable: e instanceof StowRefusedError });
      } finally {
        clearInterval(alive);
      }
      await flush();
      if (settledNow === 0) {
        // Only transient refusals: back off rather than spin.
        const message = lastTransient ?? 'destination answered no instance';
        await jobs.update(jobId, 'waiting-for-destination', message);
        throw ApplicationFailure.create({ type: 'DestinationBusy', message, nonRetryable: false });
      }
      await jobs.update(jobId, 'running', lastTransient);
      return counts(await tally(jobId, studyUid));
    },

    async recordForwardState(jobId, state, lastError) {
      await jobs.update(jobId, state, lastError);
    },

    async forgetRefused(jobId) {
      await jobs.forgetRefused(jobId);
    },

    async requestCommitment({ jobId, destination }) {
      const dest = findDestination(cfg, destination);
      if (!dest) throw unknownDestination(destination);
      const refs = await jobs.sentReferences(jobId);
      const transactionUid = newUuidUid();
      await commitments.open(transactionUid, jobId, destination, refs.length);
      try {
        await requestStorageCommitment(dest, transactionUid, refs, { callingAeTitle: cfg.dicom.aeTitle });
      } catch (e) {
        throw ApplicationFailure.create({ type: e.name ?? 'CommitmentFailed', message: e.message, nonRetryable: e.name === 'CommitmentRefusedError' });
      }
      return transactionUid;
    },

    async commitmentOutcome(transactionUid, waitMs) {
      return waitMs ? commitments.awaitOutcome(transactionUid, waitMs) : commitments.outcome(transactionUid);
    },
  };
}
