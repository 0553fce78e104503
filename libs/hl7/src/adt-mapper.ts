import type { PatientIdentifier, RequestPatient } from '@krypton/pathway';
import { requiredFieldMissing, requiredSegmentMissing } from './hl7-error';
import { ParsedMessage } from './hl7-message';
import { readIdentifiers, readPatient } from './patient-reader';

/** ADT^A08: the sender's current demographics of a patient. */
export interface PatientUpdateMessage {
  readonly kind: 'patient-update';
  readonly patient: RequestPatient;
}

/** One merge of ADT^A40: the prior patient (MRG-1) is absorbed by the surviving one (PID-3). */
export interface PatientMerge {
  readonly surviving: RequestPatient;
  readonly prior: { readonly ins?: string; readonly identifiers: readonly PatientIdentifier[] };
}

export interface PatientMergeMessage {
  readonly kind: 'patient-merge';
  readonly merges: readonly PatientMerge[];
}

export type AdtMessage = PatientUpdateMessage | PatientMergeMessage;

/**
 * ADT^A08 and ADT^A40 to typed messages, validated before anything is applied. The gateway applies
 * them (apps/hl7-gateway/src/adt): demographics and re-keying of requests, worklist items, studies.
 */
export function mapAdtMessage(msg: ParsedMessage): AdtMessage {
  const issuer = msg.header.sendingFacility || msg.header.sendingApplication;
  if (msg.header.triggerEvent === 'A40') {
    const merges: PatientMerge[] = [];
    let pending: RequestPatient | undefined;
    // A40 repeats PID, [PD1], MRG, [PV1]: each MRG belongs to the PID before it.
    for (const seg of msg.segments) {
      if (seg.name === 'PID') pending = readPatient(seg, issuer);
      if (seg.name === 'MRG') {
        if (!pending) throw requiredSegmentMissing('PID', 'before MRG');
        const prior = readIdentifiers(seg.repetitions(1), issuer, { segment: 'MRG', field: 1 });
        if (!prior.ins && prior.identifiers.length === 0) throw requiredFieldMissing('MRG', 1, 'prior patient identifier list', seg.sequence);
        merges.push({ surviving: pending, prior });
        pending = undefined;
      }
    }
    if (merges.length === 0) throw requiredSegmentMissing(msg.first('PID') ? 'MRG' : 'PID', 'in ADT^A40');
    return { kind: 'patient-merge', merges };
  }
  const pid = msg.first('PID');
  if (!pid) throw requiredSegmentMissing('PID', `in ${msg.type}`);
  return { kind: 'patient-update', patient: readPatient(pid, issuer) };
}
