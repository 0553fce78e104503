/**
 * Accessors for dcmjs "naturalized" data sets. dcmjs gives a sequence as an array of items, a
 * multi-valued element as an array and a single value as a scalar — but not always: one-item
 * sequences and single values may come either way depending on the VR and dcmjs version. These
 * helpers absorb that so the parsers read one shape.
 */
export type NaturalDataset = Record<string, any>;

/** Items of a sequence attribute; [] when absent or empty. */
export function items(value: unknown): readonly NaturalDataset[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is NaturalDataset => !!v && typeof v === 'object');
  return typeof value === 'object' ? [value as NaturalDataset] : [];
}

/** All values of a possibly multi-valued attribute, as given (numbers stay numbers). */
export function values(value: unknown): readonly unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** First value as a trimmed string, or null (DICOM pads strings with spaces and NULs). */
export function str(value: unknown): string | null {
  const first = values(value)[0];
  if (first === undefined || first === null) return null;
  if (typeof first === 'object') {
    // PN values are naturalized to { Alphabetic, Ideographic, Phonetic }.
    const alphabetic = (first as { Alphabetic?: unknown }).Alphabetic;
    return alphabetic === undefined ? null : str(alphabetic);
  }
  const s = String(first)
    .replace(/[\s\0]+$/g, '')
    .trim();
  return s === '' ? null : s;
}

/**
 * A DS/IS/FD value as a finite number, or null. An empty string is "no value", never 0: the
 * dose record must tell "not measured" from "measured zero".
 */
export function num(value: unknown): number | null {
  const first = values(value)[0];
  return toFiniteNumber(first);
}

/** Every value of a multi-valued numeric attribute that parses as a finite number. */
export function nums(value: unknown): number[] {
  return values(value)
    .map(toFiniteNumber)
    .filter((n): n is number => n !== null);
}

function toFiniteNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
