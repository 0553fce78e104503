import { parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import type { ProtocolIssue } from './protocol-errors';
import { ProtocolDocument, protocolSchema } from './protocol.schema';

/** What the document may name: checked so a typo is refused at validation, not at routing time. */
export interface ProtocolReferences {
  readonly destinations: readonly string[];
  readonly sites: readonly string[];
  readonly pools: readonly string[];
  readonly aes: readonly string[];
}

export type ValidationResult = { readonly ok: true; readonly protocol: ProtocolDocument } | { readonly ok: false; readonly issues: readonly ProtocolIssue[] };

/** `rules[2].match.from` — the notation administrators read in the YAML. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

const fromZod = (i: ZodIssue): ProtocolIssue => ({ path: formatPath(i.path), message: i.message });

/** YAML text → object; syntax errors are issues with their line and column. */
export function parseProtocolText(text: string): { value: unknown; issues: ProtocolIssue[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  const issues = doc.errors.map((e) => ({ path: '', message: `YAML${e.linePos ? ` line ${e.linePos[0].line} column ${e.linePos[0].col}` : ''}: ${e.message.split(' at line ')[0].split('\n')[0]}` }));
  return { value: issues.length ? undefined : doc.toJS(), issues };
}

function referenceIssues(p: ProtocolDocument, refs: ProtocolReferences): ProtocolIssue[] {
  const issues: ProtocolIssue[] = [];
  const check = (known: readonly string[], value: string, path: (string | number)[], what: string) => {
    if (!known.includes(value)) issues.push({ path: formatPath(path), message: `unknown ${what} "${value}"` });
  };
  p.rules.forEach((r, i) => {
    r.match.sourceSites?.forEach((s, j) => check(refs.sites, s, ['rules', i, 'match', 'sourceSites', j], 'site'));
    r.match.sourceAes?.forEach((s, j) => check(refs.aes, s, ['rules', i, 'match', 'sourceAes', j], 'AE title'));
    r.actions.route.forEach((d, j) => check(refs.destinations, d.destination, ['rules', i, 'actions', 'route', j, 'destination'], 'destination'));
    r.actions.share.forEach((s, j) => {
      if (s.site) check(refs.sites, s.site, ['rules', i, 'actions', 'share', j, 'site'], 'site');
      if (s.pool) check(refs.pools, s.pool, ['rules', i, 'actions', 'share', j, 'pool'], 'reading pool');
    });
    if (r.match.timeWindow?.timeZone) {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: r.match.timeWindow.timeZone });
      } catch {
        issues.push({ path: formatPath(['rules', i, 'match', 'timeWindow', 'timeZone']), message: `unknown time zone "${r.match.timeWindow.timeZone}"` });
      }
    }
  });
  return issues;
}

/**
 * Validates a protocol given as YAML text or as an already parsed object. Every issue is reported
 * with its path (schema first; names of destinations, sites, pools and AEs only once the shape is right).
 */
export function validateProtocol(input: string | unknown, refs?: ProtocolReferences): ValidationResult {
  let value = input;
  if (typeof input === 'string') {
    const parsed = parseProtocolText(input);
    if (parsed.issues.length) return { ok: false, issues: parsed.issues };
    value = parsed.value;
  }
  const result = protocolSchema.safeParse(value);
  if (!result.success) return { ok: false, issues: result.error.issues.map(fromZod) };
  const issues = refs ? referenceIssues(result.data, refs) : [];
  return issues.length ? { ok: false, issues } : { ok: true, protocol: result.data };
}
