import { Hl7Context } from '@medplum/core';
import { HL7_ERROR_CODES, Hl7Error } from './hl7-error';

/**
 * What the hub writes in the messages it sends (ACK, ORU): the standard `|^~\&`, which is also
 * @medplum/core's default context. Every receiver reads them from MSH-1/MSH-2.
 */
export const STANDARD_SEPARATORS = new Hl7Context();

/**
 * The delimiters a message declares in MSH-1 and MSH-2, as a @medplum/core context. Read here
 * rather than by `Hl7Message.parse`, which takes MSH-2 at fixed offsets without checking it: a
 * v2.1-era `^~\` would make the field separator the subcomponent separator. Missing trailing
 * encoding characters take their standard value; a v2.7 truncation character, when present as the
 * fifth, is ignored; separators that are letters, digits, blanks or repeated are refused (AR).
 */
export function readSeparators(text: string): Hl7Context {
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
  return new Hl7Context('\r', field, enc[0] ?? '^', enc[1] ?? '~', enc[2] ?? '\\', enc[3] ?? '&');
}
