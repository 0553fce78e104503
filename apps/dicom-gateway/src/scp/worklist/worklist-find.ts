import { issuerOfPatientId, patientSelector } from '@krypton/patient-match';
import { asText, InvalidIdentifierError } from '../find/identifier';
import type { WorklistCondition, WorklistRow } from '@krypton/pathway';
import { KeySet, KeySpec, WORKLIST_KEYS } from './worklist-keys';

interface TemplateEntry {
  readonly keyword: string;
  readonly spec: KeySpec<any>;
  /** For a sequence: the keys asked for inside its item, or every key (an empty key, PS3.4 C.2.2.2.6). */
  readonly item?: Template | 'all';
}
type Template = readonly TemplateEntry[];

export interface WorklistQuery {
  readonly conditions: readonly WorklistCondition[];
  readonly template: Template;
  /** Keys outside the model the hub answers: left out of every response. */
  readonly unsupported: readonly string[];
  /** Keys sent with a value the hub does not match on: the value is ignored, the key is answered. */
  readonly unmatched: readonly string[];
}

/** Pending 0xFF01 rather than 0xFF00: "one or more optional keys were not supported" (PS3.4 K.4.1.1.4). */
export function hasUnsupportedKeys(q: WorklistQuery): boolean {
  return q.unsupported.length > 0 || q.unmatched.length > 0;
}

function isItem(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keysOf(item: Record<string, unknown>): string[] {
  // dcmjs adds `_vrMap`; group lengths and the character set carry no key.
  return Object.keys(item).filter((k) => !k.startsWith('_') && k !== 'SpecificCharacterSet');
}

/** Clean text of a key's value: DICOM pads with spaces (and UIs with NUL), which are not part of the value. */
function text(v: unknown): string {
  return asText(v)
    .replace(/[\s\0]+$/, '')
    .replace(/^\s+/, '');
}

function parseKeys(
  elements: Record<string, unknown>,
  keys: KeySet<any>,
  matchable: boolean,
  prefix: string,
  out: { conditions: WorklistCondition[]; unsupported: string[]; unmatched: string[] },
): Template {
  const template: TemplateEntry[] = [];
  for (const keyword of keysOf(elements)) {
    const spec = keys[keyword];
    const path = prefix + keyword;
    const raw = elements[keyword];
    if (!spec) {
      out.unsupported.push(path);
      continue;
    }
    if (spec.type === 'sequence') {
      const items = Array.isArray(raw) ? raw : isItem(raw) ? [raw] : [];
      if (items.length > 1) throw new InvalidIdentifierError(`${path}: a sequence key holds at most one item (PS3.4 C.2.2.2.6), got ${items.length}`);
      const [item] = items;
      // A sequence key with no item, or one empty item, asks for every attribute of the sequence.
      if (!isItem(item) || keysOf(item).length === 0) template.push({ keyword, spec, item: 'all' });
      else template.push({ keyword, spec, item: parseKeys(item, spec.keys, spec.matchable, `${path}.`, out) });
      continue;
    }
    const value = text(raw);
    // Universal matching ('' or '*') asks for the value without constraining it.
    if (value !== '' && value !== '*') {
      if (matchable && spec.match) out.conditions.push({ path, match: spec.match, value });
      else out.unmatched.push(path);
    }
    template.push({ keyword, spec });
  }
  return template;
}

/**
 * Reads a Modality Worklist C-FIND identifier (naturalized by dcmjs) into matching conditions and
 * the shape of the responses, per PS3.4 C.2.2.2 and K.2.2.1.
 *
 * @throws InvalidIdentifierError when a sequence key holds several items.
 */
export function parseWorklistIdentifier(elements: Record<string, unknown>): WorklistQuery {
  const out = { conditions: [] as WorklistCondition[], unsupported: [] as string[], unmatched: [] as string[] };
  const template = parseKeys(elements, WORKLIST_KEYS, true, '', out);
  return { ...withPatientIssuer(elements, out), template };
}

const ISSUER_PATHS = ['IssuerOfPatientID', 'IssuerOfPatientIDQualifiersSequence.UniversalEntityID'];

/**
 * A Patient ID given with its issuer (Issuer of Patient ID, or the qualifiers' Universal Entity
 * ID) is matched by the hub's patient-matching rule — that issuer's identifier of the request, or
 * the INS for an INS authority — and the issuer counts as matched. A Patient ID alone still
 * matches the INS or any local identifier (every match is answered with its issuer); wildcards
 * keep string matching.
 */
function withPatientIssuer<T extends { conditions: WorklistCondition[]; unmatched: string[] }>(elements: Record<string, unknown>, out: T): T {
  const at = out.conditions.findIndex((c) => c.path === 'PatientID');
  const issuer = issuerOfPatientId(elements);
  if (at < 0 || !issuer || /[*?\\]/.test(issuer) || /[*?\\]/.test(out.conditions[at].value)) return out;
  const selector = patientSelector(out.conditions[at].value, issuer);
  if (!selector) return out;
  const conditions = out.conditions.map((c, i) => (i === at ? { path: 'PatientID', match: { by: 'patient' as const, selector }, value: c.value } : c));
  return { ...out, conditions, unmatched: out.unmatched.filter((p) => !ISSUER_PATHS.includes(p)) };
}

function render(entry: TemplateEntry, src: unknown): unknown {
  const { spec } = entry;
  if (spec.type === 'sequence') {
    return spec.items(src).map((item) => fill(entry.item === 'all' ? everyKey(spec.keys) : (entry.item ?? []), item));
  }
  const v = spec.get(src);
  if (spec.vr === 'PN') return v ? [{ Alphabetic: v }] : '';
  // dcmjs writes '' of a binary VR as the number 0, not as an empty value.
  if (spec.vr === 'US' && v === '') return [];
  return v;
}

function everyKey(keys: KeySet<any>): Template {
  return Object.entries(keys).map(([keyword, spec]) => ({ keyword, spec, item: 'all' as const }));
}

function fill(template: Template, src: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of template) out[entry.keyword] = render(entry, src);
  return out;
}

/**
 * One response identifier: exactly the supported keys asked for, filled from the worklist item,
 * in UTF-8 (names may carry accents; PS3.4 K.4.1.1.3.2 lets the SCP choose its character set).
 */
export function worklistResponse(q: WorklistQuery, row: WorklistRow): Record<string, unknown> {
  return { SpecificCharacterSet: 'ISO_IR 192', ...fill(q.template, row) };
}
