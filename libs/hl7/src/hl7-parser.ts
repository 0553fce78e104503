import { Hl7Message, Hl7Segment } from '@medplum/core';
import { decodeMessage } from './charset';
import { HL7_ERROR_CODES, Hl7Error, requiredFieldMissing } from './hl7-error';
import { MshHeader, ParsedMessage, ParsedSegment } from './hl7-message';
import { readSeparators } from './separators';

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

/**
 * Parses one HL7 v2 message (the bytes between the MLLP start and end blocks) into
 * @medplum/core's Hl7Message, wrapped in views that unescape (see hl7-message.ts).
 *
 * What stays hand-written around the library, and why: the bytes are decoded in the character set
 * MSH-18 declares (the library takes text); separators are checked before use; lines are split
 * here, on CR, LF or CRLF, so that blank lines and a trailing separator do not become empty
 * segments as they do in `Hl7Message.parse`; every line must look like a segment, and MSH-9 and
 * MSH-10 must be present, each failure being an Hl7Error with its ERR-3 code and location. No
 * field length is enforced (identifiers longer than the standard's lengths are common) and
 * Z-segments are kept.
 */
export function parseHl7(raw: Buffer): ParsedMessage {
  const bytes = trimLeading(raw);
  const { text, charset } = decodeMessage(bytes);
  const context = readSeparators(text);
  const counts = new Map<string, number>();
  const lines: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    const name = line.slice(0, 3);
    if (!SEGMENT_NAME.test(name) || (line.length > 3 && line[3] !== context.fieldSeparator)) {
      throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, `line ${lines.length + 1} is not a segment ("${line.slice(0, 20)}")`, {
        segment: SEGMENT_NAME.test(name) ? name : '???',
      });
    }
    lines.push(line);
  }
  const message = new Hl7Message(
    lines.map((l) => Hl7Segment.parse(l, context)),
    context,
  );
  const segments = message.segments.map((s) => {
    const sequence = (counts.get(s.name) ?? 0) + 1;
    counts.set(s.name, sequence);
    return new ParsedSegment(s, sequence, charset.encoding);
  });
  if (segments[0]?.name !== 'MSH') throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, 'a message must start with an MSH segment', { segment: 'MSH' }, true);
  if (counts.get('MSH')! > 1) throw new Hl7Error(HL7_ERROR_CODES.segmentSequence, 'one MSH per message (batches are not accepted)', { segment: 'MSH', segmentSequence: 2 }, true);
  return new ParsedMessage(message, charset, segments, readHeader(segments[0], true));
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
    const context = readSeparators(line);
    return readHeader(new ParsedSegment(Hl7Segment.parse(line, context), 1, 'iso-8859-1'), false);
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

function readHeader(msh: ParsedSegment, strict: boolean): MshHeader {
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
