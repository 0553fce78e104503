import * as dcmjs from 'dcmjs';
import { Cursor, DatasetSink, datasetCursor, decodeRange, decodeText, readElements, splitPart10 } from './dataset-scanner';
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

/**
 * The natural data set's side of the codec's one element loop (readElements): every element,
 * decoded as dcmjs decodes it. The Specific Character Set, read first in its data set (its tag
 * sorts early), decides how the text after it is decoded.
 */
class NaturalSink implements DatasetSink<NaturalDataset> {
  constructor(private readonly ctx: ReadContext) {}
  vrOf = dictionaryVr;
  keeps = () => true;
  open(): NaturalDataset {
    return {};
  }
  value(into: NaturalDataset, tag: number, vr: string, c: Cursor, len: number): void {
    if (tag === 0x00080005) {
      const terms = decodeText(c.buf.subarray(c.pos, c.pos + len), 'CS', 'latin1')
        .split('\\')
        .map((t) => t.trim().replace(/ /g, '_'));
      this.ctx.charset = CHARSETS[terms[0]] ?? 'latin1';
    }
    into[tagInfo(tag).keyword] = natural(values(c.buf, c.pos, len, vr, c.little, this.ctx.charset), false);
  }
  items(into: NaturalDataset, tag: number, items: NaturalDataset[]): void {
    into[tagInfo(tag).keyword] = natural(items, true);
  }
  /** Encapsulated pixel data: kept as its raw fragments. */
  fragments(into: NaturalDataset, tag: number, _vr: string, raw: Buffer): void {
    into[tagInfo(tag).keyword] = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length);
  }
}

function readObject(c: Cursor, end: number, ctx: ReadContext): NaturalDataset {
  return readElements(c, end, new NaturalSink(ctx)) as NaturalDataset;
}

/**
 * Reads a whole Part 10 object into dcmjs's naturalized form, decoding every element, with the
 * codec's one element loop (readElements), the one the catalogue scan uses. dcmjs's own reader takes seconds for a dose report with
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
