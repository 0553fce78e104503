import { MigrationInterface, QueryRunner } from 'typeorm';

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
    // One round trip per instance: the gateway's indexer calls this with the record as JSON.
    // Existing rows are looked up without taking row locks, so instances of one study indexed in
    // parallel do not queue behind each other on the study and patient rows.
    await q.query(`
      CREATE FUNCTION catalog_index_instance(r jsonb, replace_existing boolean) RETURNS text
      LANGUAGE plpgsql AS $fn$
      DECLARE
        pid bigint; sid bigint; seid bigint; iid bigint;
      BEGIN
        INSERT INTO patient (patient_id, issuer, name, birth_date, sex, ins)
          VALUES (r->>'patientId', coalesce(r->>'issuer', ''), r->>'patientName', r->>'birthDate', r->>'sex', r->>'ins')
          ON CONFLICT (patient_id, issuer) DO NOTHING RETURNING id INTO pid;
        IF pid IS NULL THEN
          SELECT id INTO pid FROM patient WHERE patient_id = r->>'patientId' AND issuer = coalesce(r->>'issuer', '');
          UPDATE patient SET name = coalesce(r->>'patientName', name), birth_date = coalesce(r->>'birthDate', birth_date),
              sex = coalesce(r->>'sex', sex), ins = coalesce(r->>'ins', ins), updated_at = now()
            WHERE id = pid AND (name IS DISTINCT FROM coalesce(r->>'patientName', name)
              OR birth_date IS DISTINCT FROM coalesce(r->>'birthDate', birth_date)
              OR sex IS DISTINCT FROM coalesce(r->>'sex', sex) OR ins IS DISTINCT FROM coalesce(r->>'ins', ins));
        END IF;

        INSERT INTO study (study_uid, patient_fk, study_date, study_time, accession_number, study_id, study_description, referring_physician, source_ae)
          VALUES (r->>'studyUid', pid, r->>'studyDate', r->>'studyTime', r->>'accessionNumber', r->>'studyId', r->>'studyDescription', r->>'referringPhysician', r->>'sourceAe')
          ON CONFLICT (study_uid) DO NOTHING RETURNING id INTO sid;
        IF sid IS NULL THEN
          SELECT id INTO sid FROM study WHERE study_uid = r->>'studyUid';
        END IF;

        INSERT INTO series (series_uid, study_fk, modality, series_number, series_description, body_part, station_name, series_date)
          VALUES (r->>'seriesUid', sid, r->>'modality', (r->>'seriesNumber')::int, r->>'seriesDescription', r->>'bodyPart', r->>'stationName', r->>'seriesDate')
          ON CONFLICT (series_uid) DO NOTHING RETURNING id INTO seid;
        IF seid IS NULL THEN
          SELECT id INTO seid FROM series WHERE series_uid = r->>'seriesUid';
        END IF;

        INSERT INTO instance (sop_instance_uid, series_fk, sop_class_uid, instance_number, transfer_syntax_uid, storage_key, file_size, rows, columns, number_of_frames, source_ae)
          VALUES (r->>'sopInstanceUid', seid, r->>'sopClassUid', (r->>'instanceNumber')::int, r->>'transferSyntaxUid', r->>'storageKey',
            (r->>'fileSize')::bigint, (r->>'rows')::int, (r->>'columns')::int, (r->>'numberOfFrames')::int, r->>'sourceAe')
          ON CONFLICT (sop_instance_uid) DO NOTHING RETURNING id INTO iid;
        IF iid IS NOT NULL THEN
          RETURN 'inserted';
        END IF;
        IF NOT replace_existing THEN
          RETURN 'unchanged';
        END IF;
        UPDATE instance SET series_fk = seid, sop_class_uid = r->>'sopClassUid', instance_number = (r->>'instanceNumber')::int,
            transfer_syntax_uid = r->>'transferSyntaxUid', storage_key = r->>'storageKey', file_size = (r->>'fileSize')::bigint,
            rows = (r->>'rows')::int, columns = (r->>'columns')::int, number_of_frames = (r->>'numberOfFrames')::int,
            source_ae = r->>'sourceAe', received_at = now()
          WHERE sop_instance_uid = r->>'sopInstanceUid';
        RETURN 'replaced';
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION catalog_index_instance(jsonb, boolean)');
    await q.query('DROP TABLE forward_item, forward_job, instance, series, study, patient');
  }
}
