import * as dimse from 'dcmjs-dimse';
import { AssociationRejectedError, PeerUnavailableError } from './scu-errors';
import type { DicomPeer } from './store-scu';

const { Client, Dataset } = dimse;
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
  const name = `${peer.aeTitle}@${peer.host}:${peer.port}`;
  return new Promise((resolve, reject) => {
    const client = new Client();
    const req = new NActionRequest(STORAGE_COMMITMENT_CLASS, STORAGE_COMMITMENT_INSTANCE, 1);
    req.setDataset(
      new Dataset({
        TransactionUID: transactionUid,
        ReferencedSOPSequence: refs.map((r) => ({ ReferencedSOPClassUID: r.sopClassUid, ReferencedSOPInstanceUID: r.sopInstanceUid })),
      }),
    );
    let status: number | null = null;
    let detail: string | null = null;
    let failure: Error | null = null;
    req.on('response', (res: any) => {
      status = res.getStatus();
      detail = res.getErrorComment?.() ?? null;
    });
    client.addRequest(req);
    client.on('connected', () => (client as any).network?.socket?.setNoDelay?.(true));
    client.on('associationRejected', (e: { result: number; source: number; reason: number }) => {
      failure = new AssociationRejectedError(name, e.result, e.source, e.reason);
    });
    client.on('networkError', (e: Error) => {
      failure ??= new PeerUnavailableError(name, e.message);
    });
    client.on('closed', () => {
      if (failure) return reject(failure);
      if (status === null) return reject(new CommitmentRefusedError(name, 0x0122, 'the destination accepted no storage commitment context'));
      if (status !== 0) return reject(new CommitmentRefusedError(name, status, detail));
      resolve();
    });
    try {
      client.send(peer.host, peer.port, opts.callingAeTitle, peer.aeTitle, {
        connectTimeout: opts.timeoutMs ?? 30000,
        associationTimeout: opts.timeoutMs ?? 30000,
        pduTimeout: opts.timeoutMs ?? 60000,
      });
    } catch (e) {
      reject(new PeerUnavailableError(name, e.message));
    }
  });
}
