/**
 * The DICOM JSON model (PS3.18 Annex F.2) from the dcmjs dictionary form, which is already
 * `{ tag: { vr, Value } }`: what is left is value typing (PN objects, numbers, AT as hex, empty
 * values dropped), sequences recursively, and binary values as InlineBinary or BulkDataURI.
 */

export interface DicomJsonElement {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}
export type DicomJsonDataset = Record<string, DicomJsonElement>;

/** A dcmjs element as read from a file (`_rawValue` and other private fields are ignored). */
export interface DcmjsElement {
  vr?: string;
  Value?: unknown[] | unknown;
}
export type DcmjsDict = Record<string, DcmjsElement>;

export const PIXEL_DATA_TAG = '7FE00010';
const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const NUMBER_VRS = new Set(['DS', 'IS', 'FL', 'FD', 'SL', 'SS', 'SV', 'UL', 'US', 'UV']);

export interface BulkDataPolicy {
  /** Binary values larger than this go out as BulkDataURI (PixelData always does). */
  readonly inlineMaxBytes: number;
  /** URI of a binary value, from its path: tag, item index, tag, ... */
  uriFor(path: readonly string[]): string;
}

/** Bytes of a binary value, whatever shape dcmjs gave it (ArrayBuffer, typed array, fragments). */
export function binaryChunks(value: unknown): Buffer[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(binaryChunks);
  if (value instanceof ArrayBuffer) return [Buffer.from(value)];
  if (ArrayBuffer.isView(value)) return [Buffer.from(value.buffer, value.byteOffset, value.byteLength)];
  return [];
}

function skipped(tag: string): boolean {
  // Group lengths are encoding artefacts; item/delimiter tags and trailing padding carry no meaning.
  return tag.endsWith('0000') || tag.startsWith('FFFE') || tag === 'FFFCFFFC' || tag.startsWith('0002');
}

function personName(v: unknown): Record<string, string> | null {
  if (typeof v === 'string') return v === '' ? null : { Alphabetic: v };
  if (v && typeof v === 'object') {
    const out: Record<string, string> = {};
    for (const k of ['Alphabetic', 'Ideographic', 'Phonetic']) {
      const c = (v as Record<string, unknown>)[k];
      if (typeof c === 'string' && c !== '') out[k] = c;
    }
    return Object.keys(out).length ? out : null;
  }
  return null;
}

function numberValue(v: unknown): number | string | null {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function atValue(v: unknown): string | null {
  if (typeof v === 'number') return (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
  if (typeof v === 'string' && /^[0-9A-Fa-f]{8}$/.test(v)) return v.toUpperCase();
  return null;
}

function textValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s === '' ? null : s;
}

function values(el: DcmjsElement): unknown[] {
  if (el.Value === undefined || el.Value === null) return [];
  return Array.isArray(el.Value) ? el.Value : [el.Value];
}

/** Empty values are dropped; an element whose every value is empty has no Value (PS3.18 F.2.5). */
function withValues(vr: string, list: unknown[]): DicomJsonElement {
  return list.some((v) => v !== null) ? { vr, Value: list } : { vr };
}

export function toDicomJson(dict: DcmjsDict, policy: BulkDataPolicy, path: readonly string[] = []): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const tag of Object.keys(dict).sort()) {
    if (skipped(tag)) continue;
    const el = dict[tag];
    const vr = el.vr ?? (tag === PIXEL_DATA_TAG ? 'OB' : 'UN');
    if (vr === 'SQ') {
      const items = values(el).map((item, i) => toDicomJson(item as DcmjsDict, policy, [...path, tag, String(i)]));
      out[tag] = items.length ? { vr, Value: items } : { vr };
    } else if (BINARY_VRS.has(vr)) {
      const chunks = binaryChunks(el.Value);
      const size = chunks.reduce((n, c) => n + c.length, 0);
      if (tag === PIXEL_DATA_TAG || size > policy.inlineMaxBytes) out[tag] = { vr, BulkDataURI: policy.uriFor([...path, tag]) };
      else out[tag] = size ? { vr, InlineBinary: Buffer.concat(chunks).toString('base64') } : { vr };
    } else if (vr === 'PN') {
      out[tag] = withValues(vr, values(el).map(personName));
    } else if (vr === 'AT') {
      out[tag] = withValues(vr, values(el).map(atValue));
    } else if (NUMBER_VRS.has(vr)) {
      out[tag] = withValues(vr, values(el).map(numberValue));
    } else {
      out[tag] = withValues(vr, values(el).map(textValue));
    }
  }
  return out;
}

/** A bulk data path as it appears in a URI: `7FE00010`, or `00540016.0.00181072` inside a sequence. */
export const BULK_PATH_PATTERN = /^[0-9A-F]{8}(\.\d{1,6}\.[0-9A-F]{8})*$/;

export function encodeBulkPath(path: readonly string[]): string {
  return path.join('.');
}

/** The binary value at a bulk data path, or null when the path leads nowhere binary. */
export function binaryAt(dict: DcmjsDict, bulkPath: string): { vr: string; value: unknown } | null {
  if (!BULK_PATH_PATTERN.test(bulkPath)) return null;
  const steps = bulkPath.split('.');
  let node: DcmjsDict | undefined = dict;
  for (let i = 0; i < steps.length - 1; i += 2) {
    const seq: DcmjsElement | undefined = node?.[steps[i]];
    node = seq?.vr === 'SQ' ? (values(seq)[Number(steps[i + 1])] as DcmjsDict | undefined) : undefined;
  }
  const tag = steps[steps.length - 1];
  const el = node?.[tag];
  if (!el) return null;
  const vr = el.vr ?? (tag === PIXEL_DATA_TAG ? 'OB' : 'UN');
  return BINARY_VRS.has(vr) ? { vr, value: el.Value } : null;
}
