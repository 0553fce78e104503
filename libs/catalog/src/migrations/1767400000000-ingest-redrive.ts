import { MigrationInterface, QueryRunner } from 'typeorm';
import { catalogSql } from '../sql/catalog-sql';

/**
 * What the ingest pipeline must still do, kept in PostgreSQL next to what it is about, so that a
 * lost queue (Redis restarted, a worker killed, PostgreSQL or Temporal down past any retry) delays
 * the later stages but never drops them:
 *
 * - `study.last_indexed_at` moves with every indexed batch of the study; `study.stable_sent_for`
 *   is the `last_indexed_at` the study-stable signal (and acquisition matching) was last handed
 *   over for. A study is due when the two differ and it has been quiet for the stable period.
 * - `instance.dose_pending`: a dose-bearing instance whose dose has not been filed yet.
 * - `patient_demographics_conflict`: an instance whose patient attributes differ from the
 *   catalogue's. Only the identity paths (HL7 ADT update and merge) change a patient; what an
 *   image says otherwise is recorded here instead of overwriting the patient.
 *
 * `catalog_index_instance` changes accordingly (src/sql/catalog-index-instance.v2.sql): a copy of a known instance under keep-first
 * returns before touching any row, and the patient is never rewritten by an image (an attribute
 * the catalogue lacks is filled in, a differing one recorded as a conflict).
 */
export class IngestRedrive1767400000000 implements MigrationInterface {
  name = 'IngestRedrive1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE study ADD COLUMN last_indexed_at timestamptz, ADD COLUMN stable_sent_for timestamptz`);
    await q.query(`CREATE INDEX study_stable_due_idx ON study (last_indexed_at) WHERE stable_sent_for IS DISTINCT FROM last_indexed_at`);
    await q.query(`ALTER TABLE instance ADD COLUMN dose_pending boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX instance_dose_pending_idx ON instance (received_at) WHERE dose_pending`);
    await q.query(`
      CREATE TABLE patient_demographics_conflict (
        id bigserial PRIMARY KEY,
        patient_fk bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        study_uid text NOT NULL,
        catalogue jsonb NOT NULL,
        received jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT patient_demographics_conflict_uq UNIQUE (patient_fk, sop_instance_uid)
      )`);
    await q.query(catalogSql('catalog-index-instance.v2.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE patient_demographics_conflict');
    await q.query('ALTER TABLE instance DROP COLUMN dose_pending');
    await q.query('ALTER TABLE study DROP COLUMN last_indexed_at, DROP COLUMN stable_sent_for');
  }
}
