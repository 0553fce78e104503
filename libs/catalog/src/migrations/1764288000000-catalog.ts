import { MigrationInterface, QueryRunner } from 'typeorm';
import { catalogSql } from '../sql/catalog-sql';

/**
 * The catalogue. Text columns keep DICOM values as received; the lower-case expression indexes
 * serve case-insensitive person-name matching, and the pattern-ops indexes serve prefix wildcards,
 * which is what C-FIND and QIDO users type most ("DUPONT*").
 */
export class Catalog1764288000000 implements MigrationInterface {
  name = 'Catalog1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patient (
        id bigserial PRIMARY KEY,
        patient_id text NOT NULL,
        issuer text NOT NULL DEFAULT '',
        name text,
        birth_date text,
        sex text,
        ins text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT patient_id_issuer_uq UNIQUE (patient_id, issuer)
      )`);
    await q.query(`CREATE INDEX patient_name_lower_idx ON patient (lower(name) text_pattern_ops)`);
    await q.query(`CREATE INDEX patient_ins_idx ON patient (ins) WHERE ins IS NOT NULL`);
    await q.query(`
      CREATE TABLE study (
        id bigserial PRIMARY KEY,
        study_uid text NOT NULL UNIQUE,
        patient_fk bigint NOT NULL REFERENCES patient(id),
        study_date text,
        study_time text,
        accession_number text,
        study_id text,
        study_description text,
        referring_physician text,
        source_ae text,
        received_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        stable_at timestamptz
      )`);
    await q.query(`CREATE INDEX study_patient_idx ON study (patient_fk)`);
    await q.query(`CREATE INDEX study_date_idx ON study (study_date)`);
    await q.query(`CREATE INDEX study_accession_idx ON study (accession_number)`);
    await q.query(`
      CREATE TABLE series (
        id bigserial PRIMARY KEY,
        series_uid text NOT NULL UNIQUE,
        study_fk bigint NOT NULL REFERENCES study(id) ON DELETE CASCADE,
        modality text,
        series_number integer,
        series_description text,
        body_part text,
        station_name text,
        series_date text
      )`);
    await q.query(`CREATE INDEX series_study_idx ON series (study_fk)`);
    await q.query(`CREATE INDEX series_modality_idx ON series (modality)`);
    await q.query(`
      CREATE TABLE instance (
        id bigserial PRIMARY KEY,
        sop_instance_uid text NOT NULL UNIQUE,
        series_fk bigint NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        sop_class_uid text NOT NULL,
        instance_number integer,
        transfer_syntax_uid text NOT NULL,
        storage_key text NOT NULL,
        file_size bigint NOT NULL,
        rows integer,
        columns integer,
        number_of_frames integer,
        source_ae text,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX instance_series_idx ON instance (series_fk)`);
    await q.query(`
      CREATE TABLE forward_job (
        id text PRIMARY KEY,
        study_uid text NOT NULL,
        destination text NOT NULL,
        requested_by text,
        state text NOT NULL,
        total integer NOT NULL DEFAULT 0,
        sent integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX forward_job_study_idx ON forward_job (study_uid)`);
    await q.query(`
      CREATE TABLE forward_item (
        job_id text NOT NULL REFERENCES forward_job(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        outcome text NOT NULL,
        status integer,
        detail text,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, sop_instance_uid)
      )`);
    // The indexing function, readable and versioned beside its owner (src/sql/).
    await q.query(catalogSql('catalog-index-instance.v1.sql'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION catalog_index_instance(jsonb, boolean)');
    await q.query('DROP TABLE forward_item, forward_job, instance, series, study, patient');
  }
}
