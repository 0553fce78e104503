import { InvalidDicomError, readPart10 as readDicom } from '@krypton/dicom';
import { DoseParseError } from './dose-errors';
import { NaturalDataset } from './dataset-values';

export interface ReadDataset {
  readonly dataset: NaturalDataset;
  readonly warnings: readonly string[];
}

/** Parses Part 10 bytes with the hub's one DICOM reader, reporting failures as DoseParseError. */
export function readPart10(bytes: Uint8Array | ArrayBuffer): ReadDataset {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  try {
    const parsed = readDicom(view);
    return { dataset: parsed.dataset, warnings: parsed.warnings };
  } catch (error) {
    if (error instanceof InvalidDicomError) throw new DoseParseError(error.message, undefined, error.cause);
    throw error;
  }
}
