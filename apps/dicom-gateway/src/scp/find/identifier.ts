import { BY_KEYWORD, CatalogRow, QueryLevel } from '@krypton/catalog';
import { issuerOfPatientId } from '@krypton/patient-match';

const LEVELS: readonly QueryLevel[] = ['PATIENT', 'STUDY', 'SERIES', 'IMAGE'];

export class InvalidIdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdentifierError';
  }
}

/** A naturalized value as DICOM text: multiple values joined by backslashes, a person name by its alphabetic group. */
export function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(asText).join('\\');
  if (typeof v === 'object') {
    const pn = v as { Alphabetic?: string };
    return pn.Alphabetic ?? '';
  }
  return String(v);
}

export interface ParsedIdentifier {
  readonly level: QueryLevel;
  readonly keys: Record<string, string>;
  /** Every keyword the SCU asked for, to echo back in each response. */
  readonly requested: string[];
}

/** Reads a C-FIND / C-MOVE / C-GET identifier (naturalized by dcmjs) into catalogue query keys. */
export function parseIdentifier(elements: Record<string, unknown>): ParsedIdentifier {
  const level = asText(elements.QueryRetrieveLevel).trim().toUpperCase();
  if (!LEVELS.includes(level as QueryLevel)) throw new InvalidIdentifierError(`QueryRetrieveLevel "${level}" is not PATIENT, STUDY, SERIES or IMAGE`);
  const keys: Record<string, string> = {};
  const requested: string[] = [];
  for (const [keyword, value] of Object.entries(elements)) {
    if (keyword === 'QueryRetrieveLevel' || keyword === 'SpecificCharacterSet' || keyword.startsWith('_')) continue;
    requested.push(keyword);
    // Sequences carry no matching value here; everything else is matched as text.
    if (Array.isArray(value) && value.some((x) => typeof x === 'object' && x !== null && !('Alphabetic' in x))) continue;
    keys[keyword] = asText(value);
  }
  // The patient's issuer may come as the qualifiers' Universal Entity ID (patient-matching rule).
  const issuer = issuerOfPatientId(elements);
  if (issuer && !keys.IssuerOfPatientID?.trim()) keys.IssuerOfPatientID = issuer;
  return { level: level as QueryLevel, keys, requested };
}

/** The response identifier: exactly the requested keys, filled from the row where we have them. */
export function responseIdentifier(parsed: ParsedIdentifier, row: CatalogRow, retrieveAeTitle: string): Record<string, unknown> {
  const out: Record<string, unknown> = { SpecificCharacterSet: 'ISO_IR 192', QueryRetrieveLevel: parsed.level, RetrieveAETitle: retrieveAeTitle };
  for (const keyword of parsed.requested) {
    const value = row[keyword];
    const def = BY_KEYWORD.get(keyword);
    if (value === undefined || value === null || value === '') {
      out[keyword] = '';
    } else if (def?.vr === 'PN') {
      out[keyword] = [{ Alphabetic: String(value) }];
    } else if (keyword === 'ModalitiesInStudy') {
      out[keyword] = String(value).split('\\');
    } else {
      out[keyword] = value;
    }
  }
  return out;
}
