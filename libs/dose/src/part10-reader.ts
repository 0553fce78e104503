import * as dcmjs from 'dcmjs';
import { DoseParseError } from './dose-errors';
import { NaturalDataset } from './dataset-values';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

// dcmjs logs parse and VR-validation complaints to the console; this library reports problems
// through DoseParseError and the report's warnings instead, and a CLI's output must stay clean.
type Logger = { setLevel?(level: string): void; getLogger?(name: string): Logger };
const dcmjsLog = (dcmjs as unknown as { log?: Logger }).log;
dcmjsLog?.setLevel?.('error');
dcmjsLog?.getLogger?.('validation.dcmjs')?.setLevel?.('silent');

export interface ReadDataset {
  readonly dataset: NaturalDataset;
  readonly warnings: readonly string[];
}

/**
 * dcmjs refuses data sets that declare several character sets (ISO 2022 code extensions, e.g.
 * Japanese "\ISO 2022 IR 87" from Canon and Philips). Only person names and free text use the
 * extensions; codes, UIDs and numbers are in the default repertoire, so such a file is re-read
 * with dcmjs's lenient mode, which decodes text with the first character set. Any other failure
 * is not retried: a lenient read would hand back a silently truncated data set.
 */
const MULTIPLE_CHARSETS = /multiple character sets/i;

/** Parses Part 10 bytes (a whole file) into a dcmjs naturalized data set. */
export function readPart10(bytes: Uint8Array | ArrayBuffer): ReadDataset {
  const buffer = toArrayBuffer(bytes);
  try {
    return { dataset: parse(buffer, false), warnings: [] };
  } catch (error) {
    const message = errorMessage(error);
    if (!MULTIPLE_CHARSETS.test(message)) {
      throw new DoseParseError(`unreadable DICOM data: ${message}`, undefined, error);
    }
    try {
      return {
        dataset: parse(buffer, true),
        warnings: [`${message}; text decoded with the first character set`],
      };
    } catch (retryError) {
      throw new DoseParseError(`unreadable DICOM data: ${errorMessage(retryError)}`, undefined, retryError);
    }
  }
}

function parse(buffer: ArrayBuffer, ignoreErrors: boolean): NaturalDataset {
  const dict = DicomMessage.readFile(buffer, { ignoreErrors, untilTag: null, includeUntilTagValue: false, noCopy: false });
  return DicomMetaDictionary.naturalizeDataset(dict.dict);
}

function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
