import { BY_KEYWORD } from './attributes';
import type { BuiltQuery, CatalogQuery } from './catalog-query';
import { matchCondition } from './dicom-match';

/**
 * How a study search is ordered (newest first) in SQL. `index` is the ORDER BY that
 * `study_list_order_idx` matches: the plan walks the index and stops after a page, right when
 * many studies match (no filter, a date range, a common name prefix). `sort` is the same order
 * written so that no index matches it: the plan finds the matches by their own index and sorts
 * them, right when few match. Left to itself, the planner picks the walk for a five-letter name
 * prefix (it estimated 4,500 matching studies, walked 110,000 index entries and took 3.3 s on
 * 2 million studies, bench:catalogue), because it prices those random reads too low.
 */
export const STUDY_ORDER = {
  index: 'st.study_date DESC NULLS LAST, st.study_time DESC NULLS LAST, st.id DESC',
  sort: "coalesce(st.study_date, '') DESC, coalesce(st.study_time, '') DESC, st.id DESC",
} as const;
export type StudyOrder = keyof typeof STUDY_ORDER;

/** The least cut-off between sorting and walking, for small catalogues. */
export const FEW_PATIENTS = 2000;

/**
 * Below this many matching patients the matches are sorted; from it on, the date index is walked.
 * Sorting costs about 3 index probes per matching patient (their studies); walking reads about
 * 101 × patients / matching entries, each with a patient lookup some five times dearer. They cost
 * the same near sqrt(170 × patients): about 10,600 for 666,666 patients (2 million studies),
 * 33,000 for 6.6 million. A fixed 2,000 walked 48,000 entries (1.7 s) for a prefix matching 2,100
 * of 666,666 patients (bench:catalogue).
 */
export function fewPatients(patientRows: number): number {
  return Math.max(FEW_PATIENTS, Math.round(Math.sqrt(170 * Math.max(0, patientRows))));
}

const exact = (v: string | undefined) => v !== undefined && v.trim() !== '' && v.trim() !== '*' && !/[*?]/.test(v);

/**
 * Chooses the study order: 'sort' outright for keys that match a handful of studies (an exact
 * Patient ID, accession number or Study UID); for a name with wildcards, a query counting the
 * matching patients up to FEW_PATIENTS (an index range scan of at most that many entries) for
 * the caller to run, 'sort' when fewer match; else 'index'.
 */
export function studyOrderProbe(q: CatalogQuery, cap = FEW_PATIENTS): StudyOrder | BuiltQuery {
  if (q.level !== 'STUDY') return 'index';
  const k = q.keys;
  if (exact(k.PatientID) || exact(k.AccessionNumber) || exact(k.StudyInstanceUID)) return 'sort';
  const name = k.PatientName;
  if (name === undefined || name.trim() === '' || name.trim() === '*') return 'index';
  if (exact(name)) return 'sort';
  const c = matchCondition(BY_KEYWORD.get('PatientName')!, name);
  if (!c) return 'index';
  return { text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM patient p WHERE ${c.sql.replace('$', '$1')} LIMIT ${cap}) x`, values: [...c.params] };
}
