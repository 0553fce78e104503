import * as dimse from 'dcmjs-dimse';
import { peerName, sendOnOwnAssociation } from './one-request-association';
import type { DicomPeer } from './store-scu';

const { Dataset } = dimse;
const { NActionRequest } = dimse.requests;

/** Storage Commitment Push Model SOP Class and its well-known instance (PS3.4 J.3). */
export const STORAGE_COMMITMENT_CLASS = '1.2.840.10008.1.20.1';
export const STORAGE_COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';

export interface CommittedReference {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

/** The destination refused the N-ACTION (status carried). */
export class CommitmentRefusedError extends Error {
  constructor(
    public readonly peer: string,
    public readonly status: number,
    public readonly detail: string | null,
  ) {
    super(`${peer} refused the storage commitment request: status 0x${status.toString(16)}${detail ? ` (${detail})` : ''}`);
    this.name = 'CommitmentRefusedError';
  }
}

/**
 * Asks a destination to commit to the safekeeping of instances (N-ACTION, action type 1). The
 * answer to the N-ACTION only says the request was taken; the result comes later as an
 * N-EVENT-REPORT, which the destination sends on an association of its own to our DICOM gateway.
 */
export function requestStorageCommitment(peer: DicomPeer, transactionUid: string, refs: readonly CommittedReference[], opts: { callingAeTitle: string; timeoutMs?: number }): Promise<void> {
  const name = peerName(peer);
  return new Promise((resolve, reject) => {
    const req = new NActionRequest(STORAGE_COMMITMENT_CLASS, STORAGE_COMMITMENT_INSTANCE, 1);
    req.setDataset(
      new Dataset({
        TransactionUID: transactionUid,
        ReferencedSOPSequence: refs.map((r) => ({ ReferencedSOPClassUID: r.sopClassUid, ReferencedSOPInstanceUID: r.sopInstanceUid })),
      }),
    );
    let status: number | null = null;
    let detail: string | null = null;
    req.on('response', (res: any) => {
      status = res.getStatus();
      detail = res.getErrorComment?.() ?? null;
    });
    sendOnOwnAssociation(peer, req, opts, (failure) => {
      if (failure) return reject(failure);
      if (status === null) return reject(new CommitmentRefusedError(name, 0x0122, 'the destination accepted no storage commitment context'));
      if (status !== 0) return reject(new CommitmentRefusedError(name, status, detail));
      resolve();
    });
  });
}
