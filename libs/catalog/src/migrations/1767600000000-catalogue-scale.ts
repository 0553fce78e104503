import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for a catalogue of tens of millions of studies (issue #13, measured by
 * `npm run bench:catalogue`).
 *
 * - `study_list_order_idx` matches the study search's ORDER BY exactly (date, time, id, all DESC
 *   NULLS LAST). The old `study_date_idx` (ASC NULLS LAST) read backwards gives NULLS FIRST, so an
 *   unfiltered list (OHIF's first screen) or a date range sorted every matching study before
 *   LIMIT; with this one the plan walks the index and stops after a page.
 * - `series_study_modality_idx` (study_fk, modality) answers "has a series of modality X"
 *   (ModalitiesInStudy matching) and ModalitiesInStudy itself with index-only scans; it replaces
 *   `series_study_idx`, whose lookups it serves too (one index fewer to maintain at ingest).
 * - `study_patient_order_idx` (patient_fk, then the list order) replaces `study_patient_idx`: a
 *   patient's studies come out of the index in order, without reading the table.
 * - `patient_name_prefix_idx` (lower(name) INCLUDE id, name) replaces `patient_name_lower_idx`:
 *   PostgreSQL scans an expression index index-only only when the columns it is computed from are
 *   in the index too, so a name prefix is now matched without reading the patient table.
 *
 * A study search first finds its page of study ids from these indexes alone, then reads those rows
 * (buildCatalogQuery); reading every candidate row was most of a search's time.
 *
 * An authorization filter (issue #10) restricting by site or patient adds a predicate on `study`
 * or `patient`: the leading keys here are the searched values, so such a filter is applied to
 * the few rows an index lookup returns, or to the ordered walk of `study_list_order_idx`.
 */
export const CATALOGUE_SCALE_INDEXES: readonly { readonly name: string; readonly create: string }[] = [
  {
    name: 'study_list_order_idx',
    create: 'CREATE INDEX study_list_order_idx ON study (study_date DESC NULLS LAST, study_time DESC NULLS LAST, id DESC)',
  },
  { name: 'series_study_modality_idx', create: 'CREATE INDEX series_study_modality_idx ON series (study_fk, modality)' },
  {
    name: 'study_patient_order_idx',
    create: 'CREATE INDEX study_patient_order_idx ON study (patient_fk, study_date DESC NULLS LAST, study_time DESC NULLS LAST, id DESC)',
  },
  { name: 'patient_name_prefix_idx', create: 'CREATE INDEX patient_name_prefix_idx ON patient (lower(name) text_pattern_ops) INCLUDE (id, name)' },
];

/** What this migration removes, to put the catalogue back as it was (down, and the benchmark's "before"). */
export const CATALOGUE_SCALE_REPLACED: readonly { readonly name: string; readonly create: string }[] = [
  { name: 'series_study_idx', create: 'CREATE INDEX series_study_idx ON series (study_fk)' },
  { name: 'study_patient_idx', create: 'CREATE INDEX study_patient_idx ON study (patient_fk)' },
  { name: 'patient_name_lower_idx', create: 'CREATE INDEX patient_name_lower_idx ON patient (lower(name) text_pattern_ops)' },
];

export class CatalogueScale1767600000000 implements MigrationInterface {
  name = 'CatalogueScale1767600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const ix of CATALOGUE_SCALE_INDEXES) await q.query(ix.create);
    for (const ix of CATALOGUE_SCALE_REPLACED) await q.query(`DROP INDEX IF EXISTS ${ix.name}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const ix of CATALOGUE_SCALE_REPLACED) await q.query(ix.create);
    for (const ix of CATALOGUE_SCALE_INDEXES) await q.query(`DROP INDEX IF EXISTS ${ix.name}`);
  }
}
