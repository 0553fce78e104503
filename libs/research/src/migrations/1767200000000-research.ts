import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Research projects: the project (criteria, Options, the key of its pseudonyms and UIDs, which
 * never leaves the hub), its frozen cohort (the extraction's to-do list, which is what makes it
 * resumable), and an append-only audit trail of every decision and extraction step.
 */
export class Research1767200000000 implements MigrationInterface {
  name = 'Research1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE research_project (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        protocol_reference text NOT NULL,
        ethics_approval_reference text NOT NULL,
        cohort jsonb NOT NULL,
        options jsonb NOT NULL,
        submitted_by text NOT NULL,
        state text NOT NULL,
        secret bytea NOT NULL,
        workflow_id text NOT NULL,
        total integer NOT NULL DEFAULT 0,
        done integer NOT NULL DEFAULT 0,
        quarantined integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        archive_bytes bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE research_cohort_item (
        project_id uuid NOT NULL REFERENCES research_project(id) ON DELETE CASCADE,
        instance_fk bigint NOT NULL,
        outcome text CHECK (outcome IN ('exported', 'quarantined', 'failed')),
        reason text,
        patient_pseudonym text,
        study_uid text,
        series_uid text,
        sop_instance_uid text,
        sop_class_uid text,
        modality text,
        PRIMARY KEY (project_id, instance_fk)
      )`);
    await q.query(`CREATE INDEX research_cohort_pending_idx ON research_cohort_item (project_id, instance_fk) WHERE outcome IS NULL`);
    await q.query(`
      CREATE TABLE research_audit (
        id bigserial PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES research_project(id) ON DELETE CASCADE,
        idem_key text UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        actor text,
        action text NOT NULL,
        state text,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX research_audit_project_idx ON research_audit (project_id, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE research_audit, research_cohort_item, research_project');
  }
}
