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
];

/** What this migration removes, to put the catalogue back as it was (down, and the benchmark's "before"). */
export const CATALOGUE_SCALE_REPLACED: readonly { readonly name: string; readonly create: string }[] = [
  { name: 'series_study_idx', create: 'CREATE INDEX series_study_idx ON series (study_fk)' },
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
