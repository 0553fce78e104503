import * as dcmjs from 'dcmjs';
import { InvalidDicomError } from './dicom-errors';
import { assertComplete, splitPart10 } from './dataset-scanner';
import { findPixelData } from './pixel-data-position';
import { TS } from './uids';
import type { NaturalDataset } from './natural-dataset';

export type { NaturalDataset } from './natural-dataset';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

const PIXEL_DATA_KEY = '7FE00010';

// dcmjs logs parse and VR-validation complaints to the console; the hub reports problems through
// its own errors and warnings, and a CLI's output must stay clean.
type DcmjsLogger = { setLevel?(level: string): void; getLogger?(name: string): DcmjsLogger };
const dcmjsLog = (dcmjs as unknown as { log?: DcmjsLogger }).log;
dcmjsLog?.setLevel?.('error');
dcmjsLog?.getLogger?.('validation.dcmjs')?.setLevel?.('silent');

export interface ParsedPart10 {
  readonly meta: NaturalDataset;
  readonly dataset: NaturalDataset;
  /** The dcmjs dictionary form (tag -> {vr, Value}), close to the DICOM JSON model. */
  readonly dict: Record<string, { vr: string; Value?: unknown[] }>;
  /** What was tolerated while reading (e.g. an ISO 2022 character set decoded with the first one). */
  readonly warnings: readonly string[];
}

/**
 * dcmjs refuses data sets that declare several character sets (ISO 2022 code extensions, e.g.
 * Japanese "\ISO 2022 IR 87" from Canon and Philips). Only person names and free text use the
 * extensions; codes, UIDs and numbers are in the default repertoire, so such a file is re-read in
 * dcmjs's lenient mode, which decodes text with the first character set. Any other failure is
 * not retried: a lenient read would hand back a silently truncated data set.
 */
const MULTIPLE_CHARSETS = /multiple character sets/i;

function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function parse(buffer: ArrayBuffer, untilPixelData: boolean, ignoreErrors: boolean) {
  return DicomMessage.readFile(buffer, {
    ignoreErrors,
    untilTag: untilPixelData ? '7FE00010' : null,
    includeUntilTagValue: false,
    noCopy: true,
  } as any);
}

/**
 * Parses a whole Part 10 file. Reading to the end (not just the header) is what proves the object
 * is complete: a data set cut off in its pixel data fails here, before the sender hears Success.
 */
export function readPart10(buf: Uint8Array, opts: { untilPixelData?: boolean } = {}): ParsedPart10 {
  const buffer = toArrayBuffer(buf);
  const warnings: string[] = [];
  let dicomDict: any;
  try {
    dicomDict = parse(buffer, !!opts.untilPixelData, false);
  } catch (e) {
    const message = e?.message ?? String(e);
    if (!MULTIPLE_CHARSETS.test(message)) throw new InvalidDicomError(`unreadable DICOM data: ${message}`, e);
    try {
      dicomDict = parse(buffer, !!opts.untilPixelData, true);
      warnings.push(`${message}; text decoded with the first character set`);
    } catch (retry) {
      throw new InvalidDicomError(`unreadable DICOM data: ${retry?.message ?? retry}`, retry);
    }
  }
  const meta = DicomMetaDictionary.naturalizeDataset(dicomDict.meta);
  if (!opts.untilPixelData) assertComplete(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  return {
    meta,
    dataset: DicomMetaDictionary.naturalizeDataset(dicomDict.dict),
    dict: dicomDict.dict,
    warnings,
  };
}

/**
 * The attributes of a stored Part 10 object read from its first bytes (`head`) when they reach
 * its pixel data and nothing follows that (its value ends where the file does, `fileSize`): the
 * data set before it parsed as readPart10 does, the pixel data an empty value of the VR dcmjs
 * would have given it. Null when that cannot be told from the head (too short, deflated,
 * encapsulated or absent pixel data, elements after it): the caller reads the whole object. For
 * WADO-RS metadata, whose pixel data is a BulkDataURI anyway; the object was checked whole when
 * it was stored.
 */
export function readPart10Head(head: Buffer, fileSize: number): ParsedPart10 | null {
  let split: ReturnType<typeof splitPart10>;
  try {
    split = splitPart10(head);
  } catch {
    return null;
  }
  if (split.transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian) return null;
  const bodyStart = head.length - split.body.length;
  const at = findPixelData(split.body, split.transferSyntaxUid);
  if (at === null || at === 'absent' || at.length === null) return null;
  if (bodyStart + at.valueStart + at.length !== fileSize) return null;
  // dcmjs reads an implicit VR pixel data as OW ("OB or OW" in its dictionary), and looks up an explicit UN.
  const implicit = split.transferSyntaxUid === TS.ImplicitVRLittleEndian;
  if (!implicit && at.vr === 'UN') return null;
  const parsed = readPart10(head.subarray(0, bodyStart + at.elementStart), { untilPixelData: true });
  parsed.dict[PIXEL_DATA_KEY] = { vr: implicit ? 'OW' : at.vr, Value: [] };
  return parsed;
}
