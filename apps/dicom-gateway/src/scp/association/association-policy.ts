import type { KryptonConfig } from '@krypton/config';
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

/** Decides whether an association is accepted at all, from its AE titles. */
export function checkAeTitles(cfg: KryptonConfig, callingAe: string, calledAe: string): Rejection | null {
  const calling = callingAe.trim();
  if (calledAe.trim() !== cfg.dicom.aeTitle) {
    return { ...REJECT_CALLED_AE, why: `called AE title "${calledAe.trim()}" is not ${cfg.dicom.aeTitle}` };
  }
  if (!cfg.dicom.acceptUnknownCallingAe && !cfg.aes.some((ae) => ae.aeTitle === calling)) {
    return { ...REJECT_CALLING_AE, why: `calling AE title "${calling}" is not configured for any site` };
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
