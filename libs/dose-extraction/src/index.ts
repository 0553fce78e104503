/**
 * @krypton/dose — pure radiation-dose extraction: DICOM data set (or Part 10 bytes) in, a
 * normalised DoseReport out. No file, network or database access; callers own the I/O.
 */
export * from './dose-report';
export * from './dose-errors';
export { extractDose, extractDoseFromPart10 } from './extract-dose';
export { readPart10 } from './part10-reader';
export type { NaturalDataset } from './dataset-values';
export { normaliseUnitCode, toCanonical, CANONICAL_UNIT } from './units';
export type { Quantity } from './units';
export type { CodedConcept } from './codes';
