import * as dcmjs from 'dcmjs';
import { InvalidDicomError } from './dicom-errors';
import { assertComplete } from './dataset-scanner';
import type { NaturalDataset } from './natural-dataset';

export type { NaturalDataset } from './natural-dataset';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

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
