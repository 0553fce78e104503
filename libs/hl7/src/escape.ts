import type { Hl7Context } from '@medplum/core';
import { Hl7Charset, decodeBytes } from './charset';

/*
 * Hand-written: @medplum/core splits on the separators but leaves escape sequences as received
 * (Hl7Field.getComponent returns `a\F\b`) and writes values without escaping them.
 */

/**
 * Resolves HL7 escape sequences in one component or subcomponent (already split, so an escaped
 * separator cannot split it). \H\ \N\ (highlighting) and \Cxxyy\ \Mxxyyzz\ (ISO 2022 shifts) carry
 * no text and are dropped; \.br\ and \X0D\ become a line break; an unknown or unterminated
 * sequence is kept literally, because losing characters of a clinical text is worse than showing
 * a stray backslash.
 */
export function unescapeValue(value: string, sep: Hl7Context, encoding: Hl7Charset['encoding']): string {
  const e = sep.escapeCharacter;
  if (!value.includes(e)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch !== e) {
      out += ch;
      i++;
      continue;
    }
    const end = value.indexOf(e, i + 1);
    if (end === -1) {
      out += value.slice(i);
      break;
    }
    const seq = value.slice(i + 1, end);
    const decoded = decodeSequence(seq, sep, encoding);
    out += decoded ?? value.slice(i, end + 1);
    i = end + 1;
  }
  return out;
}

function decodeSequence(seq: string, sep: Hl7Context, encoding: Hl7Charset['encoding']): string | undefined {
  switch (seq) {
    case 'F':
      return sep.fieldSeparator;
    case 'S':
      return sep.componentSeparator;
    case 'T':
      return sep.subcomponentSeparator;
    case 'R':
      return sep.repetitionSeparator;
    case 'E':
      return sep.escapeCharacter;
    case 'H':
    case 'N':
    case '':
      return '';
    case '.br':
      return '\n';
  }
  if (/^X(?:[0-9A-Fa-f]{2})+$/.test(seq)) {
    // Hex bytes are in the message's character set (an é in an 8859/1 message is \XE9\).
    return decodeBytes(Buffer.from(seq.slice(1), 'hex'), encoding).replace(/\r\n?/g, '\n');
  }
  if (/^[CM][0-9A-Fa-f]{4,6}$/.test(seq)) return '';
  return undefined;
}

/**
 * Escapes a value written into an outbound message. Line breaks become \.br\ (callers that want
 * one segment per line split first); other control characters (a tab pasted into a report) become
 * \Xhh\, since a raw one may end a segment or a frame at a receiver.
 */
export function escapeValue(value: string, sep: Hl7Context): string {
  const e = sep.escapeCharacter;
  let out = '';
  for (const ch of value.replace(/\r\n?/g, '\n')) {
    if (ch === e) out += `${e}E${e}`;
    else if (ch === sep.fieldSeparator) out += `${e}F${e}`;
    else if (ch === sep.componentSeparator) out += `${e}S${e}`;
    else if (ch === sep.subcomponentSeparator) out += `${e}T${e}`;
    else if (ch === sep.repetitionSeparator) out += `${e}R${e}`;
    else if (ch === '\n') out += `${e}.br${e}`;
    else if (ch < ' ' || ch === '\x7f') out += `${e}X${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${e}`;
    else out += ch;
  }
  return out;
}
