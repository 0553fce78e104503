import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dose registry. Irradiation events are the unit of idempotence: `event_key` is the
 * Irradiation Event UID (or, for dose read from an image header, a synthetic key built from the
 * SOP Instance UID and the event's position), so a report received twice, or a device sending a
 * growing series of reports for one study, writes each event once. Exam totals are recomputed
 * from the reports of the study after every ingest, never incremented.
 *
 * `dose_exam.patient_fk` and `performed_at` are denormalised from the catalogue so that the
 * patient-history query reads one index range (patient, date) and nothing else.
 */
export class DoseRegistry1765000000000 implements MigrationInterface {
  name = 'DoseRegistry1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dose_exam (
        id bigserial PRIMARY KEY,
        study_uid text NOT NULL,
        patient_fk bigint NOT NULL REFERENCES patient(id),
        performed_at timestamptz NOT NULL,
        dose_modality text NOT NULL,
        source text NOT NULL CHECK (source IN ('rdsr', 'header')),
        device_observer_uid text,
        manufacturer text,
        model text,
        station_name text,
        site text,
        source_ae text,
        protocol text,
        procedure_codes text[] NOT NULL DEFAULT '{}',
        event_count integer NOT NULL DEFAULT 0,
        ctdivol_max_mgy double precision,
        dlp_total_mgy_cm double precision,
        dap_total_gy_m2 double precision,
        rp_dose_total_gy double precision,
        fluoro_time_s double precision,
        agd_total_mgy double precision,
        activity_total_mbq double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A PET/CT or NM/CT study is two dose exams: the CT part and the radiopharmaceutical part.
        CONSTRAINT dose_exam_study_modality_uq UNIQUE (study_uid, dose_modality)
      )`);
    await q.query(`CREATE INDEX dose_exam_patient_idx ON dose_exam (patient_fk, performed_at DESC)`);
    await q.query(`CREATE INDEX dose_exam_device_idx ON dose_exam (site, station_name, protocol, performed_at)`);
    await q.query(`
      CREATE TABLE dose_report (
        sop_instance_uid text PRIMARY KEY,
        exam_fk bigint NOT NULL REFERENCES dose_exam(id) ON DELETE CASCADE,
        kind text NOT NULL,
        source text NOT NULL,
        template text,
        device_observer_uid text,
        event_keys text[] NOT NULL DEFAULT '{}',
        totals jsonb NOT NULL,
        warnings jsonb NOT NULL DEFAULT '[]',
        superseded boolean NOT NULL DEFAULT false,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dose_report_exam_idx ON dose_report (exam_fk)`);
    await q.query(`
      CREATE TABLE dose_event (
        id bigserial PRIMARY KEY,
        event_key text NOT NULL UNIQUE,
        synthetic_key boolean NOT NULL DEFAULT false,
        exam_fk bigint NOT NULL REFERENCES dose_exam(id) ON DELETE CASCADE,
        patient_fk bigint NOT NULL REFERENCES patient(id),
        report_sop_uid text NOT NULL,
        performed_at timestamptz NOT NULL,
        dose_modality text NOT NULL,
        source text NOT NULL,
        protocol text,
        event_type text,
        ctdi_phantom text,
        ctdivol_mgy double precision,
        dlp_mgy_cm double precision,
        dap_gy_m2 double precision,
        rp_dose_gy double precision,
        agd_mgy double precision,
        entrance_dose_mgy double precision,
        activity_mbq double precision,
        exposure_index double precision,
        target_exposure_index double precision,
        deviation_index double precision,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dose_event_exam_idx ON dose_event (exam_fk)`);
    await q.query(`CREATE INDEX dose_event_patient_idx ON dose_event (patient_fk, performed_at DESC)`);
    await q.query(`CREATE INDEX dose_event_quality_idx ON dose_event (exam_fk) WHERE exposure_index IS NOT NULL OR deviation_index IS NOT NULL`);
    // An alert's id is derived from what crossed the threshold, so a re-ingest finds the same row.
    await q.query(`
      CREATE TABLE dose_alert (
        id text PRIMARY KEY,
        rule_id text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('event', 'exam', 'patient')),
        patient_fk bigint NOT NULL REFERENCES patient(id),
        exam_fk bigint REFERENCES dose_exam(id),
        event_key text,
        quantity text NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        unit text NOT NULL,
        site text,
        state text NOT NULL DEFAULT 'open',
        workflow_id text NOT NULL,
        review jsonb,
        follow_up jsonb,
        reminders integer NOT NULL DEFAULT 0,
        opened_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX dose_alert_state_idx ON dose_alert (state, opened_at)`);
    await q.query(`CREATE INDEX dose_alert_patient_idx ON dose_alert (patient_fk, rule_id, opened_at)`);
    // Append-only. idempotency_key makes an activity retried by Temporal write its row once.
    await q.query(`
      CREATE TABLE dose_alert_audit (
        id bigserial PRIMARY KEY,
        alert_id text NOT NULL REFERENCES dose_alert(id),
        idempotency_key text NOT NULL UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        actor text,
        action text NOT NULL,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX dose_alert_audit_alert_idx ON dose_alert_audit (alert_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dose_alert_audit, dose_alert, dose_event, dose_report, dose_exam');
  }
}
