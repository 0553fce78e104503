-- catalog_index_instance, version 1 (migration Catalog1764288000000): files one instance record
-- (JSON, built by CatalogService.indexBatch) into patient, study, series and instance.
-- One round trip per instance: the gateway's indexer calls this with the record as JSON.
-- Existing rows are looked up without taking row locks, so instances of one study indexed in
-- parallel do not queue behind each other on the study and patient rows.
-- Applied once by its migration: a change is a new version file and a new migration, never an edit.
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
$fn$;
