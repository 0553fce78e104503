import { AttributeDef } from './attributes';

/** A key whose value cannot be matched (a malformed date range, say): C-FIND answers 0xA900/0xC000, QIDO 400. */
export class InvalidMatchKeyError extends Error {
  constructor(
    public readonly keyword: string,
    public readonly value: string,
    reason: string,
  ) {
    super(`${keyword}: ${reason} ("${value}")`);
    this.name = 'InvalidMatchKeyError';
  }
}

export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly unknown[];
}

function likePattern(value: string): string {
  // Escape SQL LIKE specials before turning DICOM wildcards into SQL ones.
  return value
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

const hasWildcard = (v: string) => /[*?]/.test(v);

function rangeCondition(def: AttributeDef, value: string, pattern: RegExp, norm: (v: string) => string): SqlCondition {
  const parts = value.split('-');
  if (parts.length > 2 || parts.some((p) => p !== '' && !pattern.test(p))) {
    throw new InvalidMatchKeyError(def.keyword, value, def.match === 'date' ? 'expected YYYYMMDD or a range YYYYMMDD-YYYYMMDD' : 'expected HHMMSS or a range');
  }
  if (parts.length === 1) return { sql: `${def.sql} = $`, params: [norm(parts[0])] };
  const [from, to] = parts.map(norm);
  if (from && to) return { sql: `(${def.sql} >= $ AND ${def.sql} <= $)`, params: [from, to] };
  if (from) return { sql: `${def.sql} >= $`, params: [from] };
  if (to) return { sql: `${def.sql} <= $`, params: [to] };
  throw new InvalidMatchKeyError(def.keyword, value, 'an empty range');
}

/**
 * Turns one matching key into a SQL condition with `$` placeholders (numbered by the caller).
 * Returns null for universal matching (an empty value), which matches everything (PS3.4 C.2.2.2.3).
 */
export function matchCondition(def: AttributeDef, raw: string): SqlCondition | null {
  const value = raw.trim();
  if (value === '' || value === '*') return null;
  switch (def.match) {
    case 'uid': {
      const list = value
        .split('\\')
        .map((u) => u.trim())
        .filter(Boolean);
      return list.length === 1 ? { sql: `${def.sql} = $`, params: list } : { sql: `${def.sql} = ANY($)`, params: [list] };
    }
    case 'date':
      // "Dates" in the old ACR-NEMA form YYYY.MM.DD are still sent by some systems.
      return rangeCondition(def, value, /^\d{8}$/, (v) => v);
    case 'time':
      return rangeCondition(def, value.replace(/:/g, ''), /^\d{2,6}(\.\d{1,6})?$/, (v) => v);
    case 'person':
      // Person names match case-insensitively, as users type them (PS3.4 C.2.2.2.1 leaves this to the SCP).
      return hasWildcard(value) ? { sql: `lower(${def.sql}) LIKE $`, params: [likePattern(value.toLowerCase())] } : { sql: `lower(${def.sql}) = $`, params: [value.toLowerCase()] };
    case 'integer': {
      const list = value.split('\\').map((v) => Number.parseInt(v, 10));
      if (list.some((n) => !Number.isFinite(n))) throw new InvalidMatchKeyError(def.keyword, value, 'expected an integer');
      return list.length === 1 ? { sql: `${def.sql} = $`, params: list } : { sql: `${def.sql} = ANY($)`, params: [list] };
    }
    case 'string': {
      if (hasWildcard(value)) return { sql: `${def.sql} LIKE $`, params: [likePattern(value)] };
      const list = value.split('\\');
      return list.length === 1 ? { sql: `${def.sql} = $`, params: list } : { sql: `${def.sql} = ANY($)`, params: [list] };
    }
    default:
      return null;
  }
}
