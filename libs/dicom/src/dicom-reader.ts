import * as dcmjs from 'dcmjs';
import { InvalidDicomError } from './dicom-errors';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

// dcmjs logs parse warnings to the console; the hub reports problems through its own errors.
(dcmjs as unknown as { log: { setLevel(l: string): void } }).log?.setLevel?.('error');

export type NaturalDataset = Record<string, any>;

export interface ParsedPart10 {
  readonly meta: NaturalDataset;
  readonly dataset: NaturalDataset;
  /** The dcmjs dictionary form (tag -> {vr, Value}), close to the DICOM JSON model. */
  readonly dict: Record<string, { vr: string; Value?: unknown[] }>;
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/**
 * Parses a whole Part 10 file. Reading to the end (not just the header) is what proves the object
 * is complete: a data set cut off in its pixel data fails here, before the sender hears Success.
 */
export function readPart10(buf: Buffer, opts: { untilPixelData?: boolean } = {}): ParsedPart10 {
  try {
    const dicomDict = DicomMessage.readFile(toArrayBuffer(buf), {
      ignoreErrors: false,
      untilTag: opts.untilPixelData ? '7FE00010' : null,
      includeUntilTagValue: false,
      noCopy: true,
    } as any);
    return {
      meta: DicomMetaDictionary.naturalizeDataset(dicomDict.meta),
      dataset: DicomMetaDictionary.naturalizeDataset(dicomDict.dict),
      dict: dicomDict.dict as ParsedPart10['dict'],
    };
  } catch (e) {
    throw new InvalidDicomError(`unreadable DICOM data: ${e?.message ?? e}`, e);
  }
}
