import { InvalidDicomError, readPart10Fast } from '@krypton/dicom-codec';
import { DoseParseError } from './dose-errors';
import { NaturalDataset } from './dataset-values';

export interface ReadDataset {
  readonly dataset: NaturalDataset;
  readonly warnings: readonly string[];
}

/**
 * Parses Part 10 bytes with the hub's one-pass reader (`readPart10Fast`): dcmjs's reader took
 * seconds for a fluoroscopy report with a thousand events, this takes a small fraction of that.
 * Structural problems (truncation, garbage) are reported as DoseParseError.
 */
export function readPart10(bytes: Uint8Array | ArrayBuffer): ReadDataset {
  const view = bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const read = readPart10Fast(view);
    return { dataset: read.dataset, warnings: read.warnings };
  } catch (error) {
    if (error instanceof InvalidDicomError) throw new DoseParseError(error.message, undefined, error.cause);
    throw error;
  }
}
