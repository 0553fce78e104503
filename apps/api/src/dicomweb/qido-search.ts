import * as dcmjs from 'dcmjs';
import { AttributeDef, BY_KEYWORD, BY_TAG, CatalogQuery, LEVEL_DEPTH, MAX_RESULTS, QueryLevel } from '@krypton/catalog';
import { BadParameterError } from './dicomweb-errors';

const { DicomMetaDictionary } = dcmjs.data as unknown as {
  DicomMetaDictionary: { nameMap: Record<string, unknown>; dictionary: Record<string, unknown> };
};

export type QidoParams = Readonly<Record<string, string | string[] | undefined>>;

/** A QIDO-RS request turned into a catalogue query, plus what to return and what to warn about. */
export interface QidoSearch {
  readonly query: CatalogQuery;
  /** Keywords to return beyond the level's defaults, or every attribute the catalogue holds. */
  readonly include: 'all' | ReadonlySet<string>;
  /** Texts for Warning headers (PS3.18 8.3.4: unsupported keys are ignored with a warning). */
  readonly warnings: readonly string[];
  /** The limit was reduced, or no limit was given: a full page may mean more results exist. */
  readonly pageCapped: boolean;
}

/** Query parameters that are not attribute keys (PS3.18 8.3.4). */
const CONTROL = new Set(['includefield', 'limit', 'offset', 'fuzzymatching', 'emptyvaluematching', 'multiplevaluematching']);

/** Issuer of Patient ID Qualifiers Sequence > Universal Entity ID, by keyword or tag path. */
const ISSUER_QUALIFIER_PATHS = new Set(['IssuerOfPatientIDQualifiersSequence.UniversalEntityID', '00100024.00400032']);

type Resolved = { kind: 'supported'; def: AttributeDef } | { kind: 'unsupported'; name: string } | { kind: 'unknown' };

/** An attribute by keyword or tag: one the catalogue holds, one DICOM knows but the catalogue does not, or nothing. */
function resolveAttribute(name: string): Resolved {
  if (/^[0-9A-Fa-f]{8}$/.test(name)) {
    const tag = name.toUpperCase();
    const def = BY_TAG.get(tag);
    // Any tag is well formed (private ones included); the catalogue just may not hold it.
    return def ? { kind: 'supported', def } : { kind: 'unsupported', name: tag };
  }
  const def = BY_KEYWORD.get(name);
  if (def) return { kind: 'supported', def };
  if (name.includes('.')) return { kind: 'unsupported', name }; // sequence paths (a.b) are not matched
  return DicomMetaDictionary.nameMap[name] ? { kind: 'unsupported', name } : { kind: 'unknown' };
}

const LIST_MATCHED = (def: AttributeDef) => def.match === 'uid' || def.keyword === 'ModalitiesInStudy';

function single(name: string, v: string | string[] | undefined): string | undefined {
  if (Array.isArray(v)) {
    if (v.length > 1) throw new BadParameterError(name, 'given more than once');
    return v[0];
  }
  return v;
}

function count(name: string, v: string | string[] | undefined, min: number): number | undefined {
  const s = single(name, v);
  if (s === undefined || s === '') return undefined;
  if (!/^\d{1,9}$/.test(s) || Number(s) < min) throw new BadParameterError(name, `expected an integer >= ${min}, got "${s}"`);
  return Number(s);
}

/**
 * Reads the query string of a QIDO-RS request. `fixed` holds the UIDs from the path, which win
 * over the same keys in the query string.
 */
export function parseQidoSearch(level: QueryLevel, params: QidoParams, fixed: Readonly<Record<string, string>> = {}): QidoSearch {
  const keys: Record<string, string> = {};
  const warnings: string[] = [];
  const unsupported: string[] = [];
  let qualifiersIssuer: string | undefined;
  for (const [name, raw] of Object.entries(params)) {
    if (CONTROL.has(name) || raw === undefined) continue;
    if (ISSUER_QUALIFIER_PATHS.has(name)) {
      qualifiersIssuer = single(name, raw);
      continue;
    }
    const r = resolveAttribute(name);
    if (r.kind === 'unknown') throw new BadParameterError(name, 'not a DICOM attribute keyword or tag');
    if (r.kind === 'unsupported') {
      unsupported.push(r.name);
      continue;
    }
    const def = r.def;
    if (LEVEL_DEPTH[def.level] > LEVEL_DEPTH[level]) {
      warnings.push(`${def.keyword} is not matched in a ${level.toLowerCase()}-level search`);
      continue;
    }
    let value: string;
    if (LIST_MATCHED(def)) {
      // QIDO allows UID lists separated by commas (PS3.18 8.3.4.1); the catalogue takes backslashes.
      value = (Array.isArray(raw) ? raw : [raw]).join('\\').replace(/,/g, '\\');
    } else {
      value = single(name, raw) ?? '';
    }
    keys[def.keyword] = value;
  }
  // The patient-matching rule: the issuer may be given as the qualifiers' Universal Entity ID.
  if (qualifiersIssuer?.trim() && !keys.IssuerOfPatientID?.trim()) keys.IssuerOfPatientID = qualifiersIssuer.trim();
  if (unsupported.length) warnings.push(`the following attributes are not supported for matching and were ignored: ${unsupported.join(', ')}`);
  Object.assign(keys, fixed);

  let include: 'all' | Set<string> = new Set();
  const unavailable: string[] = [];
  const fields = params.includefield === undefined ? [] : Array.isArray(params.includefield) ? params.includefield : [params.includefield];
  for (const field of fields
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean)) {
    if (field === 'all') {
      include = 'all';
      continue;
    }
    const r = resolveAttribute(field);
    if (r.kind === 'unknown') throw new BadParameterError('includefield', `"${field}" is not a DICOM attribute keyword or tag`);
    if (r.kind === 'unsupported') unavailable.push(r.name);
    else if (include !== 'all') include.add(r.def.keyword);
  }
  if (unavailable.length) warnings.push(`the catalogue does not hold these attributes and cannot return them: ${unavailable.join(', ')}`);

  const fuzzy = single('fuzzymatching', params.fuzzymatching);
  if (fuzzy !== undefined && !['true', 'false'].includes(fuzzy)) throw new BadParameterError('fuzzymatching', 'expected true or false');
  if (fuzzy === 'true') warnings.push('the fuzzymatching parameter is not supported; only literal matching has been performed');

  const limit = count('limit', params.limit, 1);
  const offset = count('offset', params.offset, 0);
  if (limit !== undefined && limit > MAX_RESULTS) warnings.push(`limit reduced to ${MAX_RESULTS}; page with offset for more`);
  return {
    query: { level, keys, limit: limit === undefined ? undefined : Math.min(limit, MAX_RESULTS), offset },
    include,
    warnings,
    pageCapped: limit === undefined || limit > MAX_RESULTS,
  };
}
