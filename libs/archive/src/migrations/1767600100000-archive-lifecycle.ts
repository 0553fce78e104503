import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Archive lifecycle (issue #13): one row per study with its storage tier, legal hold and last
 * access, the archived instances, and an append-only log of every lifecycle step.
 *
 * - A trigger files the row when the study is first indexed (one insert per study, not per
 *   instance), with `workflow_started` false; the worker's sweep starts the study's lifecycle
 *   workflow and sets it, reading only the partial index of rows still to start. Studies already
 *   in the catalogue are filed here by the migration.
 * - `last_access_at` is written by the access recorder at most once per flush period per study.
 * - `archive_event` is the audit trail of the lifecycle until the hub-wide audit library exists;
 *   nothing updates or deletes its rows.
 */
export class ArchiveLifecycle1767600100000 implements MigrationInterface {
  name = 'ArchiveLifecycle1767600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE study_archive (
        study_uid text PRIMARY KEY,
        tier text NOT NULL DEFAULT 'primary' CHECK (tier IN ('primary', 'archive', 'deleted')),
        workflow_started boolean NOT NULL DEFAULT false,
        last_access_at timestamptz,
        recall_requested_at timestamptz,
        legal_hold boolean NOT NULL DEFAULT false,
        hold_reason text,
        hold_by text,
        hold_at timestamptz,
        tiered_at timestamptz,
        recalled_at timestamptz,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX study_archive_to_start_idx ON study_archive (created_at) WHERE NOT workflow_started`);
    await q.query(`CREATE INDEX study_archive_recall_idx ON study_archive (recall_requested_at) WHERE recall_requested_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE archive_instance (
        sop_instance_uid text PRIMARY KEY,
        study_uid text NOT NULL,
        archive_key text NOT NULL,
        original_size bigint NOT NULL,
        archived_size bigint NOT NULL,
        compressed boolean NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX archive_instance_study_idx ON archive_instance (study_uid)`);
    await q.query(`
      CREATE TABLE archive_event (
        id bigserial PRIMARY KEY,
        study_uid text NOT NULL,
        step text NOT NULL,
        actor text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX archive_event_study_idx ON archive_event (study_uid, id)`);
    await q.query(`
      CREATE FUNCTION study_archive_file() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO study_archive (study_uid) VALUES (NEW.study_uid) ON CONFLICT (study_uid) DO NOTHING;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER study_archive_file AFTER INSERT ON study FOR EACH ROW EXECUTE FUNCTION study_archive_file()`);
    await q.query(`INSERT INTO study_archive (study_uid) SELECT study_uid FROM study ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER study_archive_file ON study');
    await q.query('DROP FUNCTION study_archive_file()');
    await q.query('DROP TABLE archive_event, archive_instance, study_archive');
  }
}
