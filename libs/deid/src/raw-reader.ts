import * as dcmjs from 'dcmjs';
import { CHARSETS, datasetCursor, decodeText, Elements, elements, InvalidDicomError, splitPart10, TS } from '@krypton/dicom-codec';
import { DeidInputError } from './deid-errors';

const dictionary: Record<string, { vr?: string }> = (dcmjs.data as unknown as { DicomMetaDictionary: { dictionary: Record<string, { vr?: string }> } }).DicomMetaDictionary.dictionary;
const vrCache = new Map<number, string>();

/** The VR of a public tag from dcmjs's data dictionary (repeating groups included); UN otherwise. */
export function dictionaryVr(tag: number): string {
  let vr = vrCache.get(tag);
  if (vr === undefined) {
    const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
    const entry = dictionary[`(${hex.slice(0, 4)},${hex.slice(4)})`] ?? dictionary[`(${hex.slice(0, 2)}xx,${hex.slice(4)})`];
    const v = entry?.vr ?? '';
    vr = tag === 0x7fe00010 ? 'OW' : /^[A-Z]{2}$/.test(v) ? v : v.startsWith('OB') ? 'OB' : v.startsWith('US') ? 'US' : 'UN';
    vrCache.set(tag, vr);
  }
  return vr;
}

export interface RawPart10 {
  readonly transferSyntaxUid: string;
  readonly dataset: Elements;
  /** Node/TextDecoder name of the first declared character set ('latin1' by default). */
  readonly charset: string;
}

const WALK_ALL = { wanted: () => true, vrOf: dictionaryVr };

/**
 * Reads a Part 10 object into raw elements (tag → VR, value bytes, items) with the project's
 * one-pass scanner: values are not decoded until the profile needs them, and kept values are
 * written back as the same bytes. Public elements received as UN get their dictionary VR so the
 * profile sees names, dates and UIDs for what they are.
 */
export function readRawPart10(part10: Buffer): RawPart10 {
  try {
    const { transferSyntaxUid, body } = splitPart10(part10);
    const dataset = elements(datasetCursor(body, transferSyntaxUid), body.length, WALK_ALL);
    // Public UN elements get their dictionary VR in the walk; big-endian values are swapped here.
    if (transferSyntaxUid === TS.ExplicitVRBigEndian) retypeUnknown(dataset, true);
    const declared = dataset.get(0x00080005);
    const first = declared ? decodeText(declared.value, 'CS', 'latin1').split('\\')[0].trim().replace(/ /g, '_') : '';
    const charset = CHARSETS[first] ?? (first === '' ? 'latin1' : 'unsupported');
    return { transferSyntaxUid, dataset, charset };
  } catch (error) {
    if (error instanceof DeidInputError) throw error;
    if (error instanceof InvalidDicomError) throw new DeidInputError(error.message, error);
    throw new DeidInputError(`not a readable DICOM Part 10 object: ${error?.message ?? error}`, error);
  }
}

/** Binary VRs by the size of their unit, for turning big-endian values little-endian. */
const UNIT: Record<string, number> = { US: 2, SS: 2, OW: 2, UL: 4, SL: 4, FL: 4, AT: 2, OF: 4, OL: 4, FD: 8, OD: 8, SV: 8, UV: 8, OV: 8 };

/**
 * Gives public UN elements their dictionary VR and, for the retired Explicit VR Big Endian,
 * swaps binary values to little endian: such objects are written Explicit VR Little Endian
 * (AT swaps as two 16-bit halves, group then element).
 */
function retypeUnknown(dataset: Elements, bigEndian: boolean): void {
  for (const [tag, el] of dataset) {
    if (el.items) {
      for (const item of el.items) retypeUnknown(item, bigEndian);
      continue;
    }
    let vr = el.vr;
    if (vr === 'UN' && ((tag >>> 16) & 1) === 0) {
      const known = dictionaryVr(tag);
      if (known !== 'UN' && known !== 'SQ') vr = known;
    }
    const unit = bigEndian ? UNIT[vr] : undefined;
    if (unit) dataset.set(tag, { vr, value: swap(el.value, unit) });
    else if (vr !== el.vr) dataset.set(tag, { vr, value: el.value });
  }
}

function swap(value: Buffer, unit: number): Buffer {
  const out = Buffer.from(value);
  if (unit === 2) out.swap16();
  else if (unit === 4) out.swap32();
  else out.swap64();
  return out;
}
