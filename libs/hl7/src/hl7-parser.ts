import { Hl7Charset, decodeMessage } from './charset';
import { unescapeValue } from './escape';
import { HL7_ERROR_CODES, Hl7Error, requiredFieldMissing } from './hl7-error';
import { Hl7Composite, Hl7Message, Hl7Segment, MshHeader } from './hl7-message';
import { Hl7Separators, readSeparators } from './separators';

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

/**
 * Parses one HL7 v2 message (the bytes between the MLLP start and end blocks).
 *
 * Liberal where real senders differ and harmless: segments end with CR, LF or CRLF; blank lines
 * and leading whitespace are ignored; no field length is enforced (identifiers longer than the
 * standard's lengths are common); Z-segments are kept. Strict where a guess would be wrong: the
 * character set declared in MSH-18 is honoured, and MSH-9 / MSH-10 must be present.
 */
export function parseHl7(raw: Buffer): Hl7Message {
  const bytes = trimLeading(raw);
  const { text, charset } = decodeMessage(bytes);
  const separators = readSeparators(text);
  const counts = new Map<string, number>();
  const segments: Hl7Segment[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    const name = line.slice(0, 3);
    if (!SEGMENT_NAME.test(name) || (line.length > 3 && line[3] !== separators.field)) {
      throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, `line ${segments.length + 1} is not a segment ("${line.slice(0, 20)}")`, {
        segment: SEGMENT_NAME.test(name) ? name : '???',
      });
    }
    const sequence = (counts.get(name) ?? 0) + 1;
    counts.set(name, sequence);
    segments.push(parseSegment(line, separators, charset.encoding, sequence));
  }
  if (segments[0]?.name !== 'MSH') throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, 'a message must start with an MSH segment', { segment: 'MSH' }, true);
  if (counts.get('MSH')! > 1) throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, 'one MSH per message (batches are not accepted)', { segment: 'MSH', segmentSequence: 2 }, true);
  return new Hl7Message(separators, charset, segments, readHeader(segments[0], true));
}

/**
 * The MSH fields of a message that may not parse at all, for addressing its ACK and filing it.
 * Never throws: a message that is not HL7 still gets an AR and a row.
 */
export function peekHeader(raw: Buffer): Partial<MshHeader> {
  try {
    const bytes = trimLeading(raw);
    let end = bytes.findIndex((b) => b === 0x0d || b === 0x0a);
    if (end === -1) end = bytes.length;
    // MSH is ASCII in every accepted character set.
    const line = bytes.subarray(0, end).toString('latin1');
    const sep = readSeparators(line);
    return readHeader(parseSegment(line, sep, 'iso-8859-1', 1), false);
  } catch {
    return {};
  }
}

function trimLeading(bytes: Buffer): Buffer {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x0d || bytes[i] === 0x0a || bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  return bytes.subarray(i);
}

function parseSegment(line: string, sep: Hl7Separators, encoding: Hl7Charset['encoding'], sequence: number): Hl7Segment {
  const name = line.slice(0, 3);
  const raw = line.split(sep.field);
  const fields: Hl7Composite[][] = [[]];
  const split = (value: string): Hl7Composite[] =>
    value.split(sep.repetition).map((rep) => new Hl7Composite(rep.split(sep.component).map((c) => c.split(sep.subcomponent).map((s) => unescapeValue(s, sep, encoding)))));
  if (name === 'MSH') {
    // MSH-1 is the separator itself and MSH-2 holds the separators: neither is split nor unescaped.
    fields.push([new Hl7Composite([[sep.field]])]);
    fields.push([new Hl7Composite([[raw[1] ?? '']])]);
    for (const value of raw.slice(2)) fields.push(split(value));
  } else {
    for (const value of raw.slice(1)) fields.push(split(value));
  }
  return new Hl7Segment(name, fields, sequence);
}

function readHeader(msh: Hl7Segment, strict: boolean): MshHeader {
  const header: MshHeader = {
    sendingApplication: msh.value(3),
    sendingFacility: msh.value(4),
    receivingApplication: msh.value(5),
    receivingFacility: msh.value(6),
    dateTime: msh.value(7),
    messageCode: msh.value(9, 1).trim().toUpperCase(),
    triggerEvent: msh.value(9, 2).trim().toUpperCase(),
    messageStructure: msh.value(9, 3).trim().toUpperCase(),
    controlId: msh.value(10).trim(),
    processingId: msh.value(11),
    version: msh.value(12).trim(),
    characterSet: msh.value(18),
  };
  if (strict) {
    if (!header.messageCode) throw withRejects(requiredFieldMissing('MSH', 9, 'message type'));
    if (!header.controlId) throw withRejects(requiredFieldMissing('MSH', 10, 'message control id'));
  }
  return header;
}

/** A broken MSH makes the whole message unprocessable: AR, not AE. */
function withRejects(e: Hl7Error): Hl7Error {
  return new Hl7Error(e.code, e.message, e.location, true);
}
