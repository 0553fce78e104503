import { ATTRIBUTES, BY_KEYWORD, LEVEL_DEPTH, MODALITIES_IN_STUDY_FILTER, QueryLevel } from './attributes';
import { matchCondition, SqlCondition } from './dicom-match';
import { patientKeyCondition } from './patient-keys';
import { STUDY_ORDER, StudyOrder } from './study-order';

export interface CatalogQuery {
  readonly level: QueryLevel;
  /** Matching keys by DICOM keyword; unknown keywords are ignored (returned empty by the caller). */
  readonly keys: Readonly<Record<string, string>>;
  readonly limit?: number;
  readonly offset?: number;
  /**
   * The caller's access scope (libs/access `examFilter`): a condition over the study alias `st`
   * with bare `$` placeholders, ANDed into the WHERE clause so that paging counts only what the
   * caller may see. 'none' matches nothing.
   */
  readonly scope?: SqlCondition | 'none';
  /** Also return the patient's INS and the Study UID as `__ins` / `__study` (for the audit record). */
  readonly withAuditKeys?: boolean;
}

export type CatalogRow = Record<string, string | number | null>;

export interface BuiltQuery {
  readonly text: string;
  readonly values: unknown[];
}

const FROM: Record<QueryLevel, string> = {
  PATIENT: 'patient p',
  STUDY: 'study st JOIN patient p ON p.id = st.patient_fk',
  SERIES: 'series se JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk',
  IMAGE: 'instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk',
};

const ORDER: Record<QueryLevel, string> = {
  PATIENT: 'p.name, p.id',
  STUDY: STUDY_ORDER.index,
  SERIES: 'se.series_number NULLS LAST, se.id',
  IMAGE: 'i.instance_number NULLS LAST, i.id',
};

/** Hard ceiling on one answer, whatever the caller asks: a query of the whole region must page. */
export const MAX_RESULTS = 10000;

/**
 * Builds the SQL for a C-FIND or QIDO-RS query. Both doors share this so that the same keys match
 * the same studies whichever protocol asks. `studyOrder` (see studyOrderProbe) only changes how
 * the same order is written, so that the planner takes the plan that suits the number of matches.
 */
export function buildCatalogQuery(q: CatalogQuery, studyOrder: StudyOrder = 'index'): BuiltQuery {
  const depth = LEVEL_DEPTH[q.level];
  const visible = ATTRIBUTES.filter((a) => LEVEL_DEPTH[a.level] <= depth);
  const conditions: SqlCondition[] = [];
  const patient = patientKeyCondition(q.keys);
  if (patient) conditions.push(patient.condition);
  // Whether a condition reads the patient row (the page query then joins it).
  let onPatient = patient !== null;
  for (const [keyword, value] of Object.entries(q.keys)) {
    if (patient?.consumed.includes(keyword)) continue;
    if (keyword === 'ModalitiesInStudy' && depth >= 1 && value.trim() !== '') {
      conditions.push({ sql: MODALITIES_IN_STUDY_FILTER, params: [value.split('\\').map((v) => v.trim())] });
      continue;
    }
    const def = BY_KEYWORD.get(keyword);
    if (!def || LEVEL_DEPTH[def.level] > depth) continue;
    const c = matchCondition(def, value);
    if (c) conditions.push(c);
    if (c && def.level === 'PATIENT') onPatient = true;
  }
  const values: unknown[] = [];
  const where = numberConditions(conditions, values);
  if (q.scope === 'none') where.push('false');
  else if (q.scope) {
    const [scoped] = numberConditions([q.scope], values);
    // A patient is visible when one of their studies is.
    where.push(q.level === 'PATIENT' ? `EXISTS (SELECT 1 FROM study st WHERE st.patient_fk = p.id AND ${scoped})` : scoped);
  }
  const auditKeys = q.withAuditKeys ? `, p.ins AS "__ins", p.issuer || '|' || p.patient_id AS "__pkey"${depth >= 1 ? ', st.study_uid AS "__study"' : ''}` : '';
  const select = visible.map((a) => `${a.sql} AS "${a.keyword}"`).join(', ') + auditKeys;
  const limit = Math.min(Math.max(q.limit ?? MAX_RESULTS, 0), MAX_RESULTS);
  const offset = Math.max(q.offset ?? 0, 0);
  values.push(limit, offset);
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const paging = ` LIMIT $${values.length - 1} OFFSET $${values.length}`;
  if (q.level === 'STUDY') {
    // The page is found first from indexes alone (index-only scans of study_list_order_idx or
    // study_patient_order_idx, and of patient_name_prefix_idx for names), then only its rows are
    // read: the heap reads of every candidate study were most of a search's time (bench:catalogue).
    const order = STUDY_ORDER[studyOrder];
    const from = onPatient ? FROM.STUDY : 'study st';
    const page = `SELECT st.id FROM ${from}${filter} ORDER BY ${order}${paging}`;
    return { text: `SELECT ${select} FROM (${page}) page JOIN ${FROM.STUDY} ON st.id = page.id ORDER BY ${order}`, values };
  }
  const text = `SELECT ${select} FROM ${FROM[q.level]}${filter} ORDER BY ${ORDER[q.level]}${paging}`;
  return { text, values };
}

/**
 * Numbers the `$` placeholders of each condition in order, appending their parameters to
 * `values` (which may already hold some).
 */
export function numberConditions(conditions: readonly SqlCondition[], values: unknown[]): string[] {
  return conditions.map((c) => {
    let k = 0;
    return c.sql.replace(/\$/g, () => {
      values.push(c.params[k++]);
      return `$${values.length}`;
    });
  });
}

/** Normalises driver output: counts come back as strings (bigint), absent values as null. */
export function normaliseRow(row: Record<string, unknown>): CatalogRow {
  const out: CatalogRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined) out[k] = null;
    else if (typeof v === 'number') out[k] = v;
    else if (BY_KEYWORD.get(k)?.vr === 'IS' || BY_KEYWORD.get(k)?.vr === 'US') out[k] = Number(v);
    else out[k] = String(v);
  }
  return out;
}
