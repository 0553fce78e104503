import * as dcmjs from 'dcmjs';
import { Cursor, datasetCursor, decodeRange, decodeText, forEachItem, readHeader, sequence, splitPart10, Walk } from './dataset-scanner';
import { InvalidDicomError } from './dicom-errors';
import { CHARSETS } from './header-tags';
import type { NaturalDataset } from './natural-dataset';

const { DicomMetaDictionary } = dcmjs.data;

const TEXT_SINGLE = new Set(['LT', 'ST', 'UT', 'UR']);
const BINARY = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

interface TagInfo {
  readonly vr: string;
  /** dcmjs's natural name, or the 8-digit tag for private and unknown elements (as dcmjs does). */
  readonly keyword: string;
}

const tagCache = new Map<number, TagInfo>();
function tagInfo(tag: number): TagInfo {
  let info = tagCache.get(tag);
  if (!info) {
    const hex = tag.toString(16).padStart(8, '0').toUpperCase();
    const entry = DicomMetaDictionary.dictionary[`(${hex.slice(0, 4)},${hex.slice(4)})`];
    const vr: string | undefined = entry?.vr;
    info = { vr: vr && /^[A-Z]{2}$/.test(vr) ? vr : 'UN', keyword: entry?.name ?? hex };
    tagCache.set(tag, info);
  }
  return info;
}

/** VR of a tag from dcmjs's dictionary (implicit VR data sets); private and unknown tags are UN. */
function dictionaryVr(tag: number): string {
  return tagInfo(tag).vr;
}

const NOTHING: Walk = { wanted: () => false, vrOf: dictionaryVr };
const UNDEFINED = 0xffffffff;
const ITEM_END = 0xfffee00d;
const PIXEL_DATA = 0x7fe00010;

interface ReadContext {
  charset: string;
}

const NUMERIC_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, AT: 4, FD: 8 };

function numbers(buf: Buffer, start: number, len: number, vr: string, little: boolean): number[] {
  const size = NUMERIC_SIZE[vr];
  const out: number[] = [];
  for (let i = start; i + size <= start + len; i += size) {
    switch (vr) {
      case 'US':
        out.push(little ? buf.readUInt16LE(i) : buf.readUInt16BE(i));
        break;
      case 'SS':
        out.push(little ? buf.readInt16LE(i) : buf.readInt16BE(i));
        break;
      case 'UL':
      case 'AT':
        out.push(little ? buf.readUInt32LE(i) : buf.readUInt32BE(i));
        break;
      case 'SL':
        out.push(little ? buf.readInt32LE(i) : buf.readInt32BE(i));
        break;
      case 'FL':
        out.push(little ? buf.readFloatLE(i) : buf.readFloatBE(i));
        break;
      case 'FD':
        out.push(little ? buf.readDoubleLE(i) : buf.readDoubleBE(i));
        break;
    }
  }
  return out;
}

/** The values of one element as dcmjs holds them (before a single value is unwrapped). */
function values(buf: Buffer, start: number, len: number, vr: string, little: boolean, charset: string): unknown[] {
  if (BINARY.has(vr)) return [buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + len)];
  if (NUMERIC_SIZE[vr] !== undefined) return numbers(buf, start, len, vr, little);
  const text = decodeRange(buf, start, start + len, vr, charset);
  if (text === '') return [];
  const parts = TEXT_SINGLE.has(vr) ? [text] : text.split('\\');
  if (vr === 'DS' || vr === 'IS')
    return parts
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(Number);
  if (vr === 'PN') {
    return parts.map((p) => {
      const [Alphabetic, Ideographic, Phonetic] = p.split('=');
      return { Alphabetic, ...(Ideographic ? { Ideographic } : {}), ...(Phonetic ? { Phonetic } : {}) };
    });
  }
  return parts.map((p) => p.replace(/ +$/, ''));
}

/** dcmjs's natural form of a value list: a single value unwrapped, a one-item list of objects kept with its item's keys. */
function natural(list: unknown[], isSequence: boolean): unknown {
  if (list.length === 0) return isSequence ? [] : null;
  if (list.length > 1) return list;
  const only = list[0];
  if (only !== null && typeof only === 'object' && !(only instanceof ArrayBuffer)) return withAccessors(list, only as Record<string, unknown>);
  return only;
}

/** dcmjs defines getters; plain non-enumerable copies read the same and cost far less. */
function withAccessors(list: unknown[], item: Record<string, unknown>): unknown[] {
  for (const key in item) Object.defineProperty(list, key, { value: item[key], enumerable: false, writable: true, configurable: true });
  return list;
}

/** Items of a sequence, each read as a natural data set, framed by the scanner's forEachItem (one set of framing rules). */
function readItems(c: Cursor, owner: number, len: number, ctx: ReadContext): NaturalDataset[] {
  const items: NaturalDataset[] = [];
  forEachItem(c, owner, len, (end) => items.push(readObject(c, end, ctx)));
  return items;
}

function readObject(c: Cursor, end: number, ctx: ReadContext): NaturalDataset {
  const out: NaturalDataset = {};
  while (c.pos < end) {
    if (end === Infinity && c.pos >= c.buf.length) throw new InvalidDicomError('data set truncated: an item has no delimiter');
    readHeader(c, dictionaryVr);
    const tag = c.hTag;
    const vr = c.hVr;
    const len = c.hLen;
    if (tag === ITEM_END) return out;
    const keyword = tagInfo(tag).keyword;
    if (vr === 'UN' && len === UNDEFINED && c.explicit) {
      // CP-246: a sequence sent as UN with undefined length is encoded implicit VR little endian.
      const implicit = new Cursor(c.buf, c.pos, false, true);
      out[keyword] = natural(readItems(implicit, tag, len, ctx), true);
      c.pos = implicit.pos;
    } else if (vr === 'SQ' || (len === UNDEFINED && tag !== PIXEL_DATA)) {
      out[keyword] = natural(readItems(c, tag, len, ctx), true);
    } else if (len === UNDEFINED) {
      const start = c.pos;
      sequence(c, tag, len, NOTHING, true); // encapsulated pixel data: kept as its raw fragments
      out[keyword] = c.buf.buffer.slice(c.buf.byteOffset + start, c.buf.byteOffset + c.pos);
    } else {
      c.need(len, 'the value of', tag);
      if (tag === 0x00080005) {
        const terms = decodeText(c.buf.subarray(c.pos, c.pos + len), 'CS', 'latin1')
          .split('\\')
          .map((t) => t.trim().replace(/ /g, '_'));
        ctx.charset = CHARSETS[terms[0]] ?? 'latin1';
      }
      out[keyword] = natural(values(c.buf, c.pos, len, vr, c.little, ctx.charset), false);
      c.pos += len;
    }
  }
  if (end !== Infinity && c.pos !== end) throw new InvalidDicomError('malformed data set: an element overruns its item');
  return out;
}

/**
 * Reads a whole Part 10 object into dcmjs's naturalized form, decoding every element, with the
 * one-pass walker of the header scanner. dcmjs's own reader takes seconds for a dose report with
 * a thousand irradiation events (tens of thousands of small elements); this takes milliseconds.
 * Text is decoded with the first declared character set; binary values stay ArrayBuffers.
 */
export function readPart10Fast(part10: Buffer): { meta: NaturalDataset; dataset: NaturalDataset; warnings: string[] } {
  const { transferSyntaxUid, body } = splitPart10(part10);
  const metaEnd = 144 + part10.readUInt32LE(140);
  const meta = readObject(new Cursor(part10, 144, true, true), metaEnd, { charset: 'latin1' });
  const c = datasetCursor(body, transferSyntaxUid);
  const ctx: ReadContext = { charset: 'latin1' };
  const dataset = readObject(c, body.length, ctx);
  const warnings: string[] = [];
  const declared = dataset.SpecificCharacterSet;
  const terms: string[] = declared === undefined || declared === null ? [] : Array.isArray(declared) ? declared : [String(declared)];
  if (terms.length > 1) warnings.push(`multiple character sets (${terms.join('\\')}); text decoded with the first character set`);
  if (terms.length && CHARSETS[terms[0].trim().replace(/ /g, '_')] === undefined) warnings.push(`unsupported character set ${terms[0]}; text decoded as ISO 8859-1`);
  return { meta, dataset, warnings };
}
