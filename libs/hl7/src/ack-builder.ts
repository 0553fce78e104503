import { Hl7Charset, encodeMessage } from './charset';
import { escapeValue } from './escape';
import { HL7_ERROR_CODES, HL7_ERROR_TEXT, Hl7Error } from './hl7-error';
import { MshHeader } from './hl7-message';
import { compileSegmentTemplate } from './segment-template';
import { STANDARD_SEPARATORS } from './separators';

export type AckCode = 'AA' | 'AE' | 'AR';

export interface AckInput {
  /** Header of the message answered; partial when it did not parse. */
  readonly original: Partial<MshHeader>;
  readonly code: AckCode;
  readonly error?: Hl7Error;
  /** Accepted with something to say (ERR severity W, code 0 "message accepted"), one ERR each. */
  readonly warnings?: readonly string[];
  /** MSH-10 of the ACK itself. */
  readonly controlId: string;
  readonly now: Date;
  /** Who the hub is when the original did not say who it was addressing (MSH-5/MSH-6 empty). */
  readonly self: { readonly application: string; readonly facility: string };
  readonly encoding: Hl7Charset['encoding'];
}

export type AckRenderer = (input: AckInput) => Buffer;

/** AE for a message in error, AR for one the hub refuses to process at all. */
export function ackCodeFor(error: Hl7Error | undefined): AckCode {
  if (!error) return 'AA';
  return error.rejects ? 'AR' : 'AE';
}

/** Compiles the administrator's ACK template (config/hl7/ack.hbs); see compileSegmentTemplate. */
export function compileAckTemplate(source: string): AckRenderer {
  const render = compileSegmentTemplate<ReturnType<typeof ackContext>>(source);
  return (input) => encodeMessage(render(ackContext(input)), input.encoding);
}

/** YYYYMMDDHHMMSS+0000: the hub stamps in UTC and says so. */
export function hl7Timestamp(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

function ackContext(input: AckInput) {
  const esc = (v: string | undefined) => escapeValue(v ?? '', STANDARD_SEPARATORS);
  const o = input.original;
  const e = input.error;
  return {
    fieldSeparator: STANDARD_SEPARATORS.fieldSeparator,
    encodingCharacters: STANDARD_SEPARATORS.getMsh2(),
    // The ACK goes back where the message came from: sending and receiving swap.
    sendingApplication: esc(o.receivingApplication || input.self.application),
    sendingFacility: esc(o.receivingFacility || input.self.facility),
    receivingApplication: esc(o.sendingApplication),
    receivingFacility: esc(o.sendingFacility),
    dateTime: hl7Timestamp(input.now),
    triggerEvent: esc(o.triggerEvent),
    controlId: esc(input.controlId),
    processingId: esc(o.processingId || 'P'),
    version: esc(o.version || '2.5'),
    characterSet: esc(o.characterSet),
    ackCode: input.code,
    originalControlId: esc(o.controlId),
    text: e ? esc(e.message) : '',
    warnings: (input.warnings ?? []).map((w) => ({ code: HL7_ERROR_CODES.accepted, codeText: esc(HL7_ERROR_TEXT[HL7_ERROR_CODES.accepted]), message: esc(w) })),
    error: e
      ? {
          location: e.location
            ? [e.location.segment, e.location.segmentSequence ?? 1, e.location.field ?? '', '', e.location.component ?? '']
                .map((x) => esc(String(x)))
                .join(STANDARD_SEPARATORS.componentSeparator)
                .replace(/\^+$/, '')
            : '',
          code: e.code,
          codeText: esc(HL7_ERROR_TEXT[e.code]),
          severity: 'E',
          message: esc(e.message),
        }
      : undefined,
  };
}

/**
 * For failures that are not the message's fault (database, Temporal): their detail stays in the
 * log, the sender gets 207 — as AR by default, which in original mode tells it to send again later.
 */
export function internalError(message = 'the hub could not process the message now; send it again later', rejects = true): Hl7Error {
  return new Hl7Error(HL7_ERROR_CODES.applicationInternal, message, undefined, rejects);
}
