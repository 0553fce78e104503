-- catalog_index_instance, version 2 (migration IngestRedrive1767400000000), replacing version 1:
-- a copy of a known instance under keep-first returns before touching any row, and the patient is
-- never rewritten by an image (an attribute the catalogue lacks is filled in, a differing one is
-- recorded in patient_demographics_conflict). Marks dose-bearing instances dose_pending.
-- Applied once by its migration: a change is a new version file and a new migration, never an edit.
CREATE OR REPLACE FUNCTION catalog_index_instance(r jsonb, replace_existing boolean) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  pid bigint; sid bigint; seid bigint; iid bigint; p patient%ROWTYPE;
  new_patient boolean := false; new_study boolean := false; new_series boolean := false; conflict boolean := false;
BEGIN
  -- A copy of a known instance kept under keep-first changes nothing at all.
  IF NOT replace_existing AND EXISTS (SELECT 1 FROM instance WHERE sop_instance_uid = r->>'sopInstanceUid') THEN
    RETURN 'unchanged';
  END IF;

  INSERT INTO patient (patient_id, issuer, name, birth_date, sex, ins)
    VALUES (r->>'patientId', coalesce(r->>'issuer', ''), r->>'patientName', r->>'birthDate', r->>'sex', r->>'ins')
    ON CONFLICT (patient_id, issuer) DO NOTHING RETURNING id INTO pid;
  new_patient := pid IS NOT NULL;
  IF pid IS NULL THEN
    SELECT * INTO p FROM patient WHERE patient_id = r->>'patientId' AND issuer = coalesce(r->>'issuer', '');
    pid := p.id;
    conflict := (p.name IS NOT NULL AND r->>'patientName' IS NOT NULL AND p.name <> r->>'patientName')
       OR (p.birth_date IS NOT NULL AND r->>'birthDate' IS NOT NULL AND p.birth_date <> r->>'birthDate')
       OR (p.sex IS NOT NULL AND r->>'sex' IS NOT NULL AND p.sex <> r->>'sex')
       OR (p.ins IS NOT NULL AND r->>'ins' IS NOT NULL AND p.ins <> r->>'ins');
  END IF;

  INSERT INTO study (study_uid, patient_fk, study_date, study_time, accession_number, study_id, study_description, referring_physician, source_ae)
    VALUES (r->>'studyUid', pid, r->>'studyDate', r->>'studyTime', r->>'accessionNumber', r->>'studyId', r->>'studyDescription', r->>'referringPhysician', r->>'sourceAe')
    ON CONFLICT (study_uid) DO NOTHING RETURNING id INTO sid;
  new_study := sid IS NOT NULL;
  IF sid IS NULL THEN
    SELECT id INTO sid FROM study WHERE study_uid = r->>'studyUid';
  END IF;

  INSERT INTO series (series_uid, study_fk, modality, series_number, series_description, body_part, station_name, series_date)
    VALUES (r->>'seriesUid', sid, r->>'modality', (r->>'seriesNumber')::int, r->>'seriesDescription', r->>'bodyPart', r->>'stationName', r->>'seriesDate')
    ON CONFLICT (series_uid) DO NOTHING RETURNING id INTO seid;
  new_series := seid IS NOT NULL;
  IF seid IS NULL THEN
    SELECT id INTO seid FROM series WHERE series_uid = r->>'seriesUid';
  END IF;

  INSERT INTO instance (sop_instance_uid, series_fk, sop_class_uid, instance_number, transfer_syntax_uid, storage_key, file_size, rows, columns, number_of_frames, source_ae, dose_pending)
    VALUES (r->>'sopInstanceUid', seid, r->>'sopClassUid', (r->>'instanceNumber')::int, r->>'transferSyntaxUid', r->>'storageKey',
      (r->>'fileSize')::bigint, (r->>'rows')::int, (r->>'columns')::int, (r->>'numberOfFrames')::int, r->>'sourceAe',
      coalesce((r->>'doseBearing')::boolean, false))
    ON CONFLICT (sop_instance_uid) DO NOTHING RETURNING id INTO iid;
  IF iid IS NULL AND NOT replace_existing THEN
    -- Another transaction filed this instance since the check above (a copy of it, indexed in
    -- parallel): undo the rows this call created, so a duplicate leaves nothing behind.
    IF new_series THEN DELETE FROM series WHERE id = seid; END IF;
    IF new_study THEN DELETE FROM study WHERE id = sid; END IF;
    IF new_patient THEN DELETE FROM patient WHERE id = pid; END IF;
    RETURN 'unchanged';
  END IF;

  -- Images never rewrite a patient: what is missing is filled in, what differs is recorded.
  IF NOT new_patient THEN
    IF (p.name IS NULL AND r->>'patientName' IS NOT NULL) OR (p.birth_date IS NULL AND r->>'birthDate' IS NOT NULL)
       OR (p.sex IS NULL AND r->>'sex' IS NOT NULL) OR (p.ins IS NULL AND r->>'ins' IS NOT NULL) THEN
      UPDATE patient SET name = coalesce(name, r->>'patientName'), birth_date = coalesce(birth_date, r->>'birthDate'),
          sex = coalesce(sex, r->>'sex'), ins = coalesce(ins, r->>'ins'), updated_at = now()
        WHERE id = pid;
    END IF;
    IF conflict THEN
      INSERT INTO patient_demographics_conflict (patient_fk, sop_instance_uid, study_uid, catalogue, received)
        VALUES (pid, r->>'sopInstanceUid', r->>'studyUid',
          jsonb_build_object('name', p.name, 'birthDate', p.birth_date, 'sex', p.sex, 'ins', p.ins),
          jsonb_build_object('name', r->>'patientName', 'birthDate', r->>'birthDate', 'sex', r->>'sex', 'ins', r->>'ins'))
        ON CONFLICT (patient_fk, sop_instance_uid) DO NOTHING;
    END IF;
  END IF;

  IF iid IS NOT NULL THEN
    RETURN 'inserted';
  END IF;
  UPDATE instance SET series_fk = seid, sop_class_uid = r->>'sopClassUid', instance_number = (r->>'instanceNumber')::int,
      transfer_syntax_uid = r->>'transferSyntaxUid', storage_key = r->>'storageKey', file_size = (r->>'fileSize')::bigint,
      rows = (r->>'rows')::int, columns = (r->>'columns')::int, number_of_frames = (r->>'numberOfFrames')::int,
      source_ae = r->>'sourceAe', received_at = now(), dose_pending = dose_pending OR coalesce((r->>'doseBearing')::boolean, false)
    WHERE sop_instance_uid = r->>'sopInstanceUid';
  RETURN 'replaced';
END
$fn$;
