/**
 * A cohort query: catalogue, dose and pathway attributes, never an identity. Every field is
 * optional; the cohort is the instances of the studies that match all given fields, restricted
 * to the series that match the series-level ones (modality, body part).
 */
export interface CohortCriteria {
  readonly modalities?: readonly string[];
  readonly bodyParts?: readonly string[];
  /** Procedure codes of the exam requests (pathway) the studies fulfilled. */
  readonly procedureCodes?: readonly string[];
  /** YYYYMMDD, inclusive. */
  readonly studyDateFrom?: string;
  readonly studyDateTo?: string;
  /** Sites (from the dose registry and the pathway's worklist). */
  readonly sites?: readonly string[];
  /** Patient age in whole years at the study date, inclusive. */
  readonly ageMin?: number;
  readonly ageMax?: number;
  readonly ctdivolMgy?: NumericRange;
  readonly dlpMgyCm?: NumericRange;
  readonly dapGyM2?: NumericRange;
}

export interface NumericRange {
  readonly min?: number;
  readonly max?: number;
}

export interface CohortCounts {
  readonly patients: number;
  readonly studies: number;
  readonly series: number;
  readonly instances: number;
}

/**
 * The WHERE clause and parameters of the cohort over `instance i JOIN series se JOIN study st
 * JOIN patient p`. Values are always bound parameters; only column names are written here.
 */
export function cohortWhere(c: CohortCriteria): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const clauses: string[] = [];
  if (c.modalities?.length) clauses.push(`upper(se.modality) = ANY(${p(c.modalities.map((m) => m.toUpperCase()))})`);
  if (c.bodyParts?.length) clauses.push(`upper(se.body_part) = ANY(${p(c.bodyParts.map((b) => b.toUpperCase()))})`);
  if (c.studyDateFrom) clauses.push(`st.study_date >= ${p(c.studyDateFrom)}`);
  if (c.studyDateTo) clauses.push(`st.study_date <= ${p(c.studyDateTo)}`);
  if (c.procedureCodes?.length) {
    clauses.push(`EXISTS (SELECT 1 FROM worklist_item w JOIN exam_request r ON r.id = w.request_id WHERE w.study_instance_uid = st.study_uid AND r.procedure_code = ANY(${p(c.procedureCodes)}))`);
  }
  if (c.sites?.length) {
    const sites = p(c.sites);
    clauses.push(
      `(EXISTS (SELECT 1 FROM dose_exam d WHERE d.study_uid = st.study_uid AND d.site = ANY(${sites})) OR EXISTS (SELECT 1 FROM worklist_item w WHERE w.study_instance_uid = st.study_uid AND w.site = ANY(${sites})))`,
    );
  }
  if (c.ageMin !== undefined || c.ageMax !== undefined) {
    const age = `CASE WHEN p.birth_date ~ '^\\d{8}$' AND st.study_date ~ '^\\d{8}$' THEN date_part('year', age(to_date(st.study_date, 'YYYYMMDD'), to_date(p.birth_date, 'YYYYMMDD'))) END`;
    if (c.ageMin !== undefined) clauses.push(`${age} >= ${p(c.ageMin)}`);
    if (c.ageMax !== undefined) clauses.push(`${age} <= ${p(c.ageMax)}`);
  }
  const dose = (column: string, r?: NumericRange) => {
    if (!r || (r.min === undefined && r.max === undefined)) return;
    const parts = [`d.study_uid = st.study_uid`];
    if (r.min !== undefined) parts.push(`d.${column} >= ${p(r.min)}`);
    if (r.max !== undefined) parts.push(`d.${column} <= ${p(r.max)}`);
    clauses.push(`EXISTS (SELECT 1 FROM dose_exam d WHERE ${parts.join(' AND ')})`);
  };
  dose('ctdivol_max_mgy', c.ctdivolMgy);
  dose('dlp_total_mgy_cm', c.dlpMgyCm);
  dose('dap_total_gy_m2', c.dapGyM2);
  return { where: clauses.length ? clauses.join(' AND ') : 'true', params };
}

export const COHORT_FROM = 'instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk';
