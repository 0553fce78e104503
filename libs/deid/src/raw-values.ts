import { Captured, decodeText } from '@krypton/dicom-codec';

/** Text VRs whose value is one string even when it contains a backslash. */
const SINGLE_VALUED = new Set(['LT', 'ST', 'UT', 'UR']);

/**
 * Reading and writing the values of raw elements in a data set's character set. Only the
 * elements the profile changes are decoded; what it keeps stays as the bytes received.
 */
export class RawValues {
  constructor(readonly charset: string) {}

  strings(el: Captured): string[] {
    if (el.value.length === 0) return [];
    const text = decodeText(el.value, el.vr, this.charset);
    return SINGLE_VALUED.has(el.vr) ? [text] : text.split('\\');
  }

  /**
   * Encodes text back. UTF-8 and ISO 8859-1 (and ASCII) are written in the declared set; any
   * other set (ISO 2022 escapes, Cyrillic...) cannot be re-encoded here, so a changed value in
   * it becomes the mask "***" whole: never the original text.
   */
  element(vr: string, values: readonly string[]): Captured {
    const joined = values.join('\\');
    let value: Buffer;
    if (this.charset === 'utf-8') value = Buffer.from(joined, 'utf8');
    // eslint-disable-next-line no-control-regex -- the Latin-1 range starts at NUL
    else if (this.charset === 'latin1') value = Buffer.from(joined.replace(/[^\x00-\xff]/g, '?'), 'latin1');
    // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
    else value = /^[\x00-\x7f]*$/.test(joined) ? Buffer.from(joined, 'latin1') : Buffer.from(values.map(() => '***').join('\\'), 'latin1');
    if (value.length % 2 === 1) value = Buffer.concat([value, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
    return { vr, value };
  }
}

export const EMPTY = Buffer.alloc(0);
