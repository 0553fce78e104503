import * as dimse from 'dcmjs-dimse';
import { peerName, sendOnOwnAssociation, type AssociationTimeouts } from './one-request-association';
import { PeerUnavailableError } from './scu-errors';
import type { DicomPeer } from './store-scu';

const { CFindRequest, CMoveRequest } = dimse.requests;

const PENDING = new Set([0xff00, 0xff01]);

/** A query/retrieve peer answered with a failure status (carried, with its Error Comment). */
export class QueryRetrieveFailedError extends Error {
  constructor(
    public readonly peer: string,
    public readonly operation: 'C-FIND' | 'C-MOVE',
    public readonly status: number,
    public readonly detail: string | null,
  ) {
    super(`${peer} answered ${operation} with status 0x${status.toString(16).padStart(4, '0')}${detail ? ` (${detail})` : ''}`);
    this.name = 'QueryRetrieveFailedError';
  }
  /** 0xA7xx (out of resources) and 0xFE00 (cancelled) may pass; a refusal of the request (0xA9xx, 0xCxxx, 0xA801 unknown destination) will not. */
  get permanent(): boolean {
    return !((this.status & 0xff00) === 0xa700 || this.status === 0xfe00);
  }
}

export type QueryOptions = AssociationTimeouts;

/** What a C-MOVE's final response counted (PS3.4 C.4.2.1.6). */
export interface MoveOutcome {
  readonly completed: number;
  readonly failed: number;
  readonly warnings: number;
}

type Level = 'STUDY' | 'SERIES';

/** One association, one request: resolves with what `collect` gathered once the association closes after a final success (or 0xB000). */
function exchange<T>(peer: DicomPeer, request: any, operation: 'C-FIND' | 'C-MOVE', opts: QueryOptions, collect: { onResponse(res: any): void; result(): T }): Promise<T> {
  return new Promise((resolve, reject) => {
    let final: { status: number; detail: string | null } | null = null;
    request.on('response', (res: any) => {
      const status = res.getStatus();
      if (!PENDING.has(status)) final = { status, detail: res.getErrorComment?.() ?? null };
      collect.onResponse(res);
    });
    sendOnOwnAssociation(peer, request, opts, (failure) => {
      if (failure) return reject(failure);
      const f = final as { status: number; detail: string | null } | null;
      if (f === null) return reject(new PeerUnavailableError(peerName(peer), `no final ${operation} response (no accepted presentation context, or the association ended early)`));
      // 0xB000: some sub-operations failed or warned; the counts say which, the caller decides.
      if (f.status !== 0 && f.status !== 0xb000) return reject(new QueryRetrieveFailedError(peerName(peer), operation, f.status, f.detail));
      resolve(collect.result());
    });
  });
}

/**
 * C-FIND (Study Root) at STUDY or SERIES level: `keys` are the matching keys and the return keys
 * (empty string = return it). Resolves with each pending answer's identifier as dcmjs naturalizes it.
 */
export function findScu(peer: DicomPeer, level: Level, keys: Record<string, unknown>, opts: QueryOptions): Promise<Record<string, unknown>[]> {
  const request = level === 'STUDY' ? CFindRequest.createStudyFindRequest(keys) : CFindRequest.createSeriesFindRequest(keys);
  const answers: Record<string, unknown>[] = [];
  return exchange(peer, request, 'C-FIND', opts, {
    onResponse(res) {
      if (PENDING.has(res.getStatus())) answers.push(res.getDataset()?.getElements?.() ?? {});
    },
    result: () => answers,
  });
}

/**
 * C-MOVE (Study Root, STUDY level) of one study to `destinationAeTitle` (the hub's own AE: the
 * peer opens its own association to our gateway and stores the instances there). Resolves with the
 * final counts; rejects on a failure status, a refused association or a lost connection.
 */
export function moveStudyScu(peer: DicomPeer, studyUid: string, destinationAeTitle: string, opts: QueryOptions): Promise<MoveOutcome> {
  const request = CMoveRequest.createStudyMoveRequest(destinationAeTitle, studyUid);
  let outcome: MoveOutcome = { completed: 0, failed: 0, warnings: 0 };
  return exchange(peer, request, 'C-MOVE', opts, {
    onResponse(res) {
      outcome = { completed: res.getCompleted?.() ?? 0, failed: res.getFailures?.() ?? 0, warnings: res.getWarnings?.() ?? 0 };
    },
    result: () => outcome,
  });
}
