import { AttributeDef, InvalidMatchKeyError, MatchKind, matchCondition, SqlCondition } from '@krypton/catalog';
import { PatientSelector, patientSqlCondition } from '@krypton/patient-match';

/**
 * How a key is matched in SQL over `worklist_item w JOIN exam_request r`. `wrap` puts the condition
 * inside an expression (a patient has several identifiers). The scheduled date and time are
 * matched on the hub's local calendar, by the query builder.
 */
export type WorklistMatch =
  | { readonly by: 'sql'; readonly kind: Extract<MatchKind, 'string' | 'uid' | 'person' | 'date'>; readonly sql: string; readonly wrap?: (condition: string) => string }
  | { readonly by: 'sps-date' }
  | { readonly by: 'sps-time' }
  /** Patient ID with its issuer (or the INS), by the hub's patient-matching rule: see the gateway's worklist-find.ts. */
  | { readonly by: 'patient'; readonly selector: PatientSelector };

/** One matching key with its value, to be turned into SQL by the query builder. */
export interface WorklistCondition {
  /** Where the key sits, e.g. `ScheduledProcedureStepSequence.Modality` (for logs and errors). */
  readonly path: string;
  readonly match: WorklistMatch;
  readonly value: string;
}

/**
 * A worklist answer larger than this is refused (out of resources) rather than cut: a modality
 * must not believe it saw the whole list. A station's list for a day is a few dozen items.
 */
export const MAX_WORKLIST_RESULTS = 1000;

export interface BuiltWorklistQuery {
  readonly text: string;
  readonly values: unknown[];
}

/** The scheduled instant, seen on the hub's local calendar (`$tz` is the time zone parameter). */
const LOCAL_SCHEDULED = 'w.scheduled_at AT TIME ZONE $tz';

const SELECT = `
  SELECT w.request_id, w.accession_number, w.study_instance_uid, w.requested_procedure_id, w.sps_id, w.site, w.ae_title, w.modality,
         to_char(${LOCAL_SCHEDULED}, 'YYYYMMDD') AS sps_date, to_char(${LOCAL_SCHEDULED}, 'HH24MISS') AS sps_time,
         w.procedure_code, w.procedure_label, w.patient, w.priority, r.referrer, r.clinical_information, r.placer_order_number
    FROM worklist_item w JOIN exam_request r ON r.id = w.request_id`;

function splitRange(c: WorklistCondition, valid: (part: string) => boolean, expected: string): [string, string] {
  const parts = c.value.split('-');
  if (parts.length > 2 || parts.some((p) => p !== '' && !valid(p)) || parts.every((p) => p === '')) {
    throw new InvalidMatchKeyError(c.path, c.value, expected);
  }
  return parts.length === 1 ? [parts[0], parts[0]] : [parts[0], parts[1]];
}

function isCalendarDate(s: string): boolean {
  if (!/^\d{8}$/.test(s)) return false;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Scheduled Procedure Step Start Date as a range of instants: local midnight to the next local
 * midnight, so the index on (ae_title, scheduled_at) serves the query and daylight saving is
 * PostgreSQL's business.
 */
function spsDateCondition(c: WorklistCondition): SqlCondition {
  const [from, to] = splitRange(c, isCalendarDate, 'expected YYYYMMDD or a range YYYYMMDD-YYYYMMDD');
  const sql: string[] = [];
  const params: string[] = [];
  if (from) {
    sql.push('w.scheduled_at >= ($::date::timestamp AT TIME ZONE $tz)');
    params.push(from);
  }
  if (to) {
    sql.push('w.scheduled_at < (($::date + 1)::timestamp AT TIME ZONE $tz)');
    params.push(to);
  }
  return { sql: `(${sql.join(' AND ')})`, params };
}

const TIME = /^([01]\d|2[0-3])([0-5]\d([0-5]\d|60)?)?(\.\d{1,6})?$/;

/**
 * Start Time, matched on the local time of day independently of the date (PS3.4 C.2.2.2.5: the
 * combined date-time matching is an extended negotiation the hub does not offer). A value given
 * to the hour or minute covers that whole hour or minute.
 */
function spsTimeCondition(c: WorklistCondition): SqlCondition {
  const [from, to] = splitRange({ ...c, value: c.value.replace(/:/g, '') }, (p) => TIME.test(p) && !(p.includes('.') && p.indexOf('.') !== 6), 'expected HHMMSS or a range HHMMSS-HHMMSS');
  const digits = (t: string) => t.split('.')[0];
  const sql: string[] = [];
  const params: string[] = [];
  if (from) {
    sql.push(`to_char(${LOCAL_SCHEDULED}, 'HH24MISS') >= $`);
    params.push(digits(from).padEnd(6, '0'));
  }
  if (to) {
    sql.push(`to_char(${LOCAL_SCHEDULED}, 'HH24MISS') <= $`);
    params.push(digits(to) + '5959'.slice(digits(to).length - 2));
  }
  return { sql: `(${sql.join(' AND ')})`, params };
}

/**
 * The patient-matching rule over the request's patient (jsonb): each local identifier as a row
 * (plus one empty row, so that a patient with an INS only is still seen), the INS beside them.
 */
function patientCondition(selector: PatientSelector): SqlCondition {
  const c = patientSqlCondition(selector, { patientId: 'x.v', issuer: 'x.iss', ins: "(w.patient->>'ins')" });
  return {
    sql: `EXISTS (SELECT 1 FROM (SELECT i->>'value' AS v, i->>'issuer' AS iss FROM jsonb_array_elements(coalesce(w.patient->'identifiers', '[]'::jsonb)) i UNION ALL SELECT NULL, NULL) x WHERE ${c.sql})`,
    params: c.params,
  };
}

function conditionSql(c: WorklistCondition): SqlCondition | null {
  const m = c.match;
  if (m.by === 'sps-date') return spsDateCondition(c);
  if (m.by === 'sps-time') return spsTimeCondition(c);
  if (m.by === 'patient') return patientCondition(m.selector);
  // The catalogue's matcher knows wildcards, lists and ranges; it only needs the SQL expression.
  const def: AttributeDef = { keyword: c.path, tag: '', vr: '', level: 'STUDY', sql: m.sql, match: m.kind };
  const built = matchCondition(def, c.value);
  if (!built) return null;
  return m.wrap ? { sql: m.wrap(built.sql), params: built.params } : built;
}

/**
 * The SQL of a worklist C-FIND: every condition ANDed (PS3.4 C.2.2.2.7 — one item per worklist
 * entry, so the sequence keys constrain the entry itself). Asks for one row more than the
 * ceiling so that the caller can tell "exactly the ceiling" from "more".
 */
export function buildWorklistQuery(conditions: readonly WorklistCondition[], timeZone: string, site?: string): BuiltWorklistQuery {
  const values: unknown[] = [timeZone];
  const number = (sql: string, params: readonly unknown[]) => {
    let k = 0;
    return sql.replace(/\$tz|\$/g, (token) => {
      if (token === '$tz') return '$1';
      values.push(params[k++]);
      return `$${values.length}`;
    });
  };
  const where = conditions
    .map(conditionSql)
    .filter((c): c is SqlCondition => c !== null)
    .map((c) => number(c.sql, c.params));
  // The calling AE's site (libs/access): a modality sees the worklist of its own site.
  if (site !== undefined) where.push(number('w.site = $', [site]));
  values.push(MAX_WORKLIST_RESULTS + 1);
  const text = number(SELECT, []) + (where.length ? ` WHERE ${where.join(' AND ')}` : '') + ` ORDER BY w.scheduled_at, w.accession_number LIMIT $${values.length}`;
  return { text, values };
}
