import * as dimse from 'dcmjs-dimse';
import { AssociationRejectedError, PeerUnavailableError } from './scu-errors';
import type { DicomPeer } from './store-scu';

const { Client } = dimse;

export interface AssociationTimeouts {
  readonly callingAeTitle: string;
  /** The wait for each PDU (a C-MOVE's next pending response); 60 s when absent. */
  readonly timeoutMs?: number;
  /** Connection and association; `timeoutMs` (or 30 s) when absent. */
  readonly connectTimeoutMs?: number;
}

/**
 * Sends one request (N-ACTION, C-FIND, C-MOVE) over an association of its own and calls `closed`
 * when the association ends, with the failure of the association itself if there was one (refused:
 * AssociationRejectedError; unreachable, reset, timed out: PeerUnavailableError). What the
 * responses said is the request's own listeners' business.
 */
export function sendOnOwnAssociation(peer: DicomPeer, request: any, opts: AssociationTimeouts, closed: (failure: Error | null) => void): void {
  const name = peerName(peer);
  const client = new Client();
  let failure: Error | null = null;
  client.addRequest(request);
  client.on('connected', () => (client as any).network?.socket?.setNoDelay?.(true));
  client.on('associationRejected', (e: { result: number; source: number; reason: number }) => {
    failure = new AssociationRejectedError(name, e.result, e.source, e.reason);
  });
  client.on('networkError', (e: Error) => {
    failure ??= new PeerUnavailableError(name, e.message);
  });
  client.on('closed', () => closed(failure));
  try {
    client.send(peer.host, peer.port, opts.callingAeTitle, peer.aeTitle, {
      connectTimeout: opts.connectTimeoutMs ?? opts.timeoutMs ?? 30_000,
      associationTimeout: opts.connectTimeoutMs ?? opts.timeoutMs ?? 30_000,
      pduTimeout: opts.timeoutMs ?? 60_000,
    });
  } catch (e) {
    closed(new PeerUnavailableError(name, (e as Error).message));
  }
}

/** How errors and logs name a peer: `AE@host:port`. */
export function peerName(peer: DicomPeer): string {
  return `${peer.aeTitle}@${peer.host}:${peer.port}`;
}
