import { HL7_ERROR_CODES, Hl7Error } from './hl7-error';

/** The delimiters a message declares for itself in MSH-1 and MSH-2. */
export interface Hl7Separators {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string;
  readonly subcomponent: string;
}

/** What the hub writes in the messages it sends (ACK, ORU); every receiver reads these from MSH-2. */
export const STANDARD_SEPARATORS: Hl7Separators = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/**
 * Reads MSH-1 and MSH-2 from the start of the message. Missing trailing encoding characters take
 * their standard value (some v2.1-era senders send only `^~\`); a v2.7 truncation character, when
 * present as the fifth, is ignored.
 */
export function readSeparators(text: string): Hl7Separators {
  if (!text.startsWith('MSH') || text.length < 4) {
    throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, 'a message must start with an MSH segment', { segment: 'MSH' }, true);
  }
  const field = text[3];
  const end = text.indexOf(field, 4);
  const enc = end === -1 ? text.slice(4, 8) : text.slice(4, end);
  const chars = [field, ...enc.slice(0, 4)];
  if (/[\r\n\sA-Za-z0-9]/.test(chars.join('')) || new Set(chars).size !== chars.length) {
    throw new Hl7Error(HL7_ERROR_CODES.dataType, 'MSH-1/MSH-2 must declare distinct, non-alphanumeric separators', { segment: 'MSH', field: 2 }, true);
  }
  return {
    field,
    component: enc[0] ?? '^',
    repetition: enc[1] ?? '~',
    escape: enc[2] ?? '\\',
    subcomponent: enc[3] ?? '&',
  };
}

/** MSH-2 as written back by the hub. */
export function encodingCharacters(s: Hl7Separators): string {
  return `${s.component}${s.repetition}${s.escape}${s.subcomponent}`;
}
