import { HL7_ERROR_CODES, Hl7Error } from './hl7-error';
import { readSeparators } from './separators';

/*
 * Hand-written: @medplum/hl7 decodes with one encoding per connection, chosen before any byte is
 * read (Hl7Connection's `encoding`), whereas senders on one interface mix UTF-8 and 8859/1 and say
 * which in each message's MSH-18. The character set must therefore be read from the bytes first.
 */

/** A character set the hub can decode, with the MSH-18 value it writes back. */
export interface Hl7Charset {
  /** MSH-18 as declared by the sender ('' when absent). */
  readonly declared: string;
  /** WHATWG encoding label given to TextDecoder. */
  readonly encoding: 'utf-8' | 'iso-8859-1' | 'iso-8859-15' | 'windows-1252';
}

/**
 * HL7 table 0211 values (and the spellings hospital systems actually send) mapped to decoders.
 * 8859/1 is decoded as ISO-8859-1 proper, not windows-1252: the WHATWG "latin1" label would map
 * 0x80–0x9F to typographic characters that the sender did not mean.
 */
const CHARSETS: Record<string, Hl7Charset['encoding']> = {
  'UNICODE UTF-8': 'utf-8',
  'UTF-8': 'utf-8',
  UTF8: 'utf-8',
  '8859/1': 'iso-8859-1',
  'ISO-8859-1': 'iso-8859-1',
  'ISO_IR 100': 'iso-8859-1',
  '8859/15': 'iso-8859-15',
  'ISO-8859-15': 'iso-8859-15',
  'WINDOWS-1252': 'windows-1252',
  CP1252: 'windows-1252',
};

/**
 * MSH-18 read from the raw bytes. MSH itself is ASCII in every supported character set, so the
 * first segment can be read as Latin-1 before the charset is known. With several repetitions
 * (ISO 2022 code extension) the first is the default character set and is the one used.
 */
export function declaredCharset(bytes: Buffer): string {
  let end = bytes.findIndex((b) => b === 0x0d || b === 0x0a);
  if (end === -1) end = bytes.length;
  const msh = bytes.subarray(0, end).toString('latin1');
  const sep = readSeparators(msh);
  const msh18 = msh.split(sep.fieldSeparator)[17] ?? '';
  return msh18.split(sep.repetitionSeparator)[0].split(sep.componentSeparator)[0].trim();
}

export function resolveCharset(declared: string): Hl7Charset {
  // Absent or ASCII: UTF-8 is a superset of ASCII and what modern senders really use; bytes that are
  // not valid UTF-8 then fall back to ISO-8859-1 in decodeMessage (the most common mislabel).
  if (declared === '' || declared.toUpperCase() === 'ASCII') return { declared, encoding: 'utf-8' };
  const encoding = CHARSETS[declared.toUpperCase()];
  if (!encoding) {
    throw new Hl7Error(HL7_ERROR_CODES.tableValueNotFound, `character set "${declared}" in MSH-18 is not supported (UNICODE UTF-8 or 8859/1)`, { segment: 'MSH', field: 18 }, true);
  }
  return { declared, encoding };
}

/**
 * Decodes the message in the character set MSH-18 declares. A message declared UTF-8 whose bytes
 * are not UTF-8 is refused rather than decoded with replacement characters: a patient name silently
 * corrupted is an identity-vigilance incident, a rejected message is a phone call.
 */
export function decodeMessage(bytes: Buffer): { text: string; charset: Hl7Charset } {
  const charset = resolveCharset(declaredCharset(bytes));
  if (charset.encoding === 'utf-8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), charset };
    } catch {
      if (charset.declared === '' || charset.declared.toUpperCase() === 'ASCII') {
        return { text: decodeBytes(bytes, 'iso-8859-1'), charset: { declared: charset.declared, encoding: 'iso-8859-1' } };
      }
      throw new Hl7Error(HL7_ERROR_CODES.dataType, `the message is not valid UTF-8 although MSH-18 declares "${charset.declared}"`, { segment: 'MSH', field: 18 });
    }
  }
  return { text: decodeBytes(bytes, charset.encoding), charset };
}

/** Bytes to text in a known character set (also used for \X..\ escapes). Non-fatal: callers check UTF-8 first. */
export function decodeBytes(bytes: Uint8Array, encoding: Hl7Charset['encoding']): string {
  // Buffer's latin1 is ISO-8859-1 proper; WHATWG would read that label as windows-1252.
  if (encoding === 'iso-8859-1') return Buffer.from(bytes).toString('latin1');
  return new TextDecoder(encoding).decode(bytes);
}

/** Encodes an outbound message (an ACK) in the character set of the message it answers. */
export function encodeMessage(text: string, encoding: Hl7Charset['encoding']): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  // Outbound text is built from the inbound message and ASCII, so Latin-1 covers it; a character
  // outside it becomes '?' rather than a wrong byte.
  // eslint-disable-next-line no-control-regex -- the Latin-1 range starts at NUL
  return Buffer.from(text.replace(/[^\x00-\xff]/g, '?'), 'latin1');
}
