import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { KryptonConfig, RemoteAe } from '@krypton/config';
import { isStorageSopClass, SOP_CLASS, STORAGE_TRANSFER_SYNTAXES, TS } from '@krypton/dicom-codec';

/** A-ASSOCIATE-RJ fields (PS3.8 9.3.4). */
export interface Rejection {
  readonly result: 1 | 2;
  readonly source: 1 | 2 | 3;
  readonly reason: number;
  readonly why: string;
}

export const REJECT_CALLING_AE: Omit<Rejection, 'why'> = { result: 1, source: 1, reason: 3 };
export const REJECT_CALLED_AE: Omit<Rejection, 'why'> = { result: 1, source: 1, reason: 7 };
/** Transient, service provider (presentation related), local limit exceeded: the peer may try again later. */
export const REJECT_LOCAL_LIMIT: Omit<Rejection, 'why'> = { result: 2, source: 3, reason: 2 };

/** The socket's address without the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1`). */
export function plainAddress(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a;
}

const blockLists = new WeakMap<readonly string[], BlockList>();

/** Whether a peer address is one the AE is bound to (any address when the AE names none). */
export function addressAllowed(ae: Pick<RemoteAe, 'addresses'>, peer: string): boolean {
  if (!ae.addresses) return true;
  let list = blockLists.get(ae.addresses);
  if (!list) {
    list = new BlockList();
    for (const entry of ae.addresses) {
      const [net, bits] = entry.split('/');
      const type = isIPv6(net) ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(net, type);
      else list.addSubnet(net, Number(bits), type);
    }
    blockLists.set(ae.addresses, list);
  }
  const type = isIPv6(peer) ? 'ipv6' : isIPv4(peer) ? 'ipv4' : null;
  return type !== null && list.check(peer, type);
}

/** Services whose data sets the hub reads itself: query/retrieve, worklist, performed procedure steps. */
const READ_BY_HUB = new Set<string>([
  SOP_CLASS.Verification,
  SOP_CLASS.PatientRootFind,
  SOP_CLASS.PatientRootMove,
  SOP_CLASS.PatientRootGet,
  SOP_CLASS.StudyRootFind,
  SOP_CLASS.StudyRootMove,
  SOP_CLASS.StudyRootGet,
  SOP_CLASS.ModalityWorklistFind,
  SOP_CLASS.ModalityPerformedProcedureStep,
  // A destination reports the outcome of our storage commitment requests on its own association.
  SOP_CLASS.StorageCommitmentPushModel,
]);

const UNCOMPRESSED = [TS.ExplicitVRLittleEndian, TS.ImplicitVRLittleEndian];

/**
 * Decides whether an association is accepted at all, from its AE titles and the peer's address:
 * an AE bound to addresses (`aes[].addresses`) is recognised only from them.
 */
export function checkAeTitles(cfg: KryptonConfig, callingAe: string, calledAe: string, peerAddress?: string): Rejection | null {
  const calling = callingAe.trim();
  if (calledAe.trim() !== cfg.dicom.aeTitle) {
    return { ...REJECT_CALLED_AE, why: `called AE title "${calledAe.trim()}" is not ${cfg.dicom.aeTitle}` };
  }
  const known = cfg.aes.filter((ae) => ae.aeTitle === calling);
  if (!known.length) {
    if (cfg.dicom.acceptUnknownCallingAe) return null;
    return { ...REJECT_CALLING_AE, why: `calling AE title "${calling}" is not configured for any site` };
  }
  const peer = plainAddress(peerAddress);
  if (peerAddress !== undefined && !known.some((ae) => addressAllowed(ae, peer))) {
    return { ...REJECT_CALLING_AE, why: `calling AE title "${calling}" may not call from ${peer}` };
  }
  return null;
}

export type ContextDecision = { accept: true; transferSyntax: string } | { accept: false; reason: 'abstract-syntax' | 'transfer-syntax' };

/**
 * Chooses the transfer syntax of one presentation context. Storage keeps the sender's first
 * proposed syntax we know, implicit VR last (we store as received, so compressed syntaxes are welcome); services
 * whose data sets the hub reads itself take uncompressed little endian only.
 */
export function decideContext(abstractSyntax: string, proposed: readonly string[]): ContextDecision {
  if (isStorageSopClass(abstractSyntax)) {
    // Implicit VR loses the value representations of private elements: take it only when it is all that is offered.
    const known = proposed.filter((t) => STORAGE_TRANSFER_SYNTAXES.has(t));
    const ts = known.find((t) => t !== TS.ImplicitVRLittleEndian) ?? known[0];
    return ts ? { accept: true, transferSyntax: ts } : { accept: false, reason: 'transfer-syntax' };
  }
  if (READ_BY_HUB.has(abstractSyntax)) {
    const ts = UNCOMPRESSED.find((t) => proposed.includes(t));
    return ts ? { accept: true, transferSyntax: ts } : { accept: false, reason: 'transfer-syntax' };
  }
  return { accept: false, reason: 'abstract-syntax' };
}
