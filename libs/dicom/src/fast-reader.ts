import * as dcmjs from 'dcmjs';
import { Captured, datasetCursor, decodeText, Elements, elements, splitPart10, Walk } from './dataset-scanner';
import { CHARSETS } from './header-tags';
import { NaturalDataset } from './dicom-reader';

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

const ALL: Walk = { wanted: () => true, vrOf: dictionaryVr };

type DictEntry = { vr: string; Value: unknown[] };

function numbers(value: Buffer, vr: string, little: boolean): number[] {
  const size = vr === 'FD' ? 8 : vr === 'UL' || vr === 'SL' || vr === 'FL' || vr === 'AT' ? 4 : 2;
  const out: number[] = [];
  for (let i = 0; i + size <= value.length; i += size) {
    switch (vr) {
      case 'US': out.push(little ? value.readUInt16LE(i) : value.readUInt16BE(i)); break;
      case 'SS': out.push(little ? value.readInt16LE(i) : value.readInt16BE(i)); break;
      case 'UL': case 'AT': out.push(little ? value.readUInt32LE(i) : value.readUInt32BE(i)); break;
      case 'SL': out.push(little ? value.readInt32LE(i) : value.readInt32BE(i)); break;
      case 'FL': out.push(little ? value.readFloatLE(i) : value.readFloatBE(i)); break;
      case 'FD': out.push(little ? value.readDoubleLE(i) : value.readDoubleBE(i)); break;
    }
  }
  return out;
}

/**
 * dcmjs's naturalized form, built directly (dcmjs's own naturalizeDataset costs as much as the
 * read here): values by natural name, a single value unwrapped, empty values null, and a
 * one-item sequence (or one-valued PN) an array that also answers its item's keys.
 */
function naturalize(els: Elements, charset: string, little: boolean): NaturalDataset {
  const out: NaturalDataset = {};
  for (const [tag, el] of els) {
    const { Value } = entry(el, charset, little);
    const keyword = tagInfo(tag).keyword;
    if (Value.length === 0) out[keyword] = el.items ? [] : null;
    else if (Value.length > 1) out[keyword] = Value;
    else if (Value[0] !== null && typeof Value[0] === 'object' && !(Value[0] instanceof ArrayBuffer)) out[keyword] = withAccessors(Value, Value[0] as Record<string, unknown>);
    else out[keyword] = Value[0];
  }
  return out;
}

function withAccessors(list: unknown[], item: Record<string, unknown>): unknown[] {
  for (const key of Object.keys(item)) {
    Object.defineProperty(list, key, { get: () => item[key], set: (v) => (item[key] = v), enumerable: false, configurable: true });
  }
  return list;
}

function entry(el: Captured, charset: string, little: boolean): DictEntry {
  const { vr, value } = el;
  if (el.items) return { vr: 'SQ', Value: el.items.map((item) => naturalize(item, charset, little)) };
  if (BINARY.has(vr)) return { vr, Value: [value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)] };
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'AT'].includes(vr)) return { vr, Value: numbers(value, vr, little) };
  const text = decodeText(value, vr, charset);
  if (text === '') return { vr, Value: [] };
  const parts = TEXT_SINGLE.has(vr) ? [text] : text.split('\\');
  if (vr === 'DS' || vr === 'IS') return { vr, Value: parts.map((p) => p.trim()).filter((p) => p !== '').map(Number) };
  if (vr === 'PN') {
    return {
      vr,
      Value: parts.map((p) => {
        const [Alphabetic, Ideographic, Phonetic] = p.split('=');
        return { Alphabetic, ...(Ideographic ? { Ideographic } : {}), ...(Phonetic ? { Phonetic } : {}) };
      }),
    };
  }
  return { vr, Value: parts.map((p) => p.replace(/ +$/, '')) };
}

/**
 * Reads a whole Part 10 object into dcmjs's naturalized form, decoding every element, with the
 * one-pass walker of the header scanner. dcmjs's own reader takes seconds for a dose report with
 * a thousand irradiation events (tens of thousands of small elements); this takes milliseconds.
 * Text is decoded with the first declared character set; binary values stay ArrayBuffers.
 */
export function readPart10Fast(part10: Buffer): { meta: NaturalDataset; dataset: NaturalDataset; warnings: string[] } {
  const { transferSyntaxUid, meta, body } = splitPart10(part10);
  const c = datasetCursor(body, transferSyntaxUid);
  const els = elements(c, body.length, ALL);
  const cs = els.get(0x00080005);
  const terms = cs ? decodeText(cs.value, 'CS', 'latin1').split('\\').map((t) => t.trim().replace(/ /g, '_')) : [''];
  const warnings: string[] = [];
  if (terms.length > 1) warnings.push(`multiple character sets (${terms.join('\\')}); text decoded with the first character set`);
  if (CHARSETS[terms[0]] === undefined) warnings.push(`unsupported character set ${terms[0]}; text decoded as ISO 8859-1`);
  const charset = CHARSETS[terms[0]] ?? 'latin1';
  return { meta: naturalize(meta, 'latin1', true), dataset: naturalize(els, charset, c.little), warnings };
}
