import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pathway's later steps (acquisition, dose, reading, results) in the PostgreSQL mirror.
 *
 * - `exam_request` gains what coordinator lists filter on without asking Temporal: `attention`
 *   (why a coordinator must act), the acquired study, the reading pool and SLA deadline/breach,
 *   and when the pathway closed.
 * - `reading_task`: one per exam (keyed by request), in a pool; claimed exclusively (the workflow
 *   decides, this row mirrors); the draft lives here, not in Temporal, because radiologists save
 *   it often and it is not a pathway transition.
 * - `unmatched_study`: a study from a modality that no request claims (no matching accession
 *   number or Study Instance UID); stays listed until a coordinator attaches it, registers it as
 *   an unscheduled exam, or dismisses it.
 * - `pathway_finding`: what the region must know about an exam beyond its state (missing dose data,
 *   images without MPPS, SLA breached); one per kind per exam.
 * - `exam_access_grant`: who outside the radiology side may see an exam and its report (the
 *   referrer by RPPS, the patient by INS). Minimal sharing model; a later issue deepens it.
 */
export class PathwaySteps1766400000000 implements MigrationInterface {
  name = 'PathwaySteps1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exam_request DROP CONSTRAINT exam_request_source_check`);
    await q.query(`ALTER TABLE exam_request ADD CONSTRAINT exam_request_source_check CHECK (source IN ('rest', 'fhir', 'hl7', 'unscheduled'))`);
    await q.query(`
      ALTER TABLE exam_request
        ADD COLUMN attention text,
        ADD COLUMN acquired_study_uid text,
        ADD COLUMN reading_pool text,
        ADD COLUMN sla_due_at timestamptz,
        ADD COLUMN sla_breached boolean NOT NULL DEFAULT false,
        ADD COLUMN closed_at timestamptz`);
    // Coordinator lists sort newest first within a filter: these give that order without a sort
    // (bench:pathway showed the state/site lists reading and sorting every open pathway).
    await q.query(`CREATE INDEX exam_request_state_created_idx ON exam_request (state, created_at DESC, id)`);
    await q.query(`CREATE INDEX exam_request_site_created_idx ON exam_request (coalesce(scheduled_site, target_site), created_at DESC, id)`);
    await q.query(`CREATE INDEX exam_request_attention_idx ON exam_request (created_at DESC) WHERE attention IS NOT NULL OR procedure_unmapped`);
    await q.query(`CREATE INDEX exam_request_sla_breached_idx ON exam_request (sla_due_at) WHERE sla_breached`);
    await q.query(`CREATE INDEX exam_request_acquired_study_idx ON exam_request (acquired_study_uid) WHERE acquired_study_uid IS NOT NULL`);
    await q.query(`
      CREATE TABLE reading_task (
        request_id uuid PRIMARY KEY REFERENCES exam_request(id) ON DELETE CASCADE,
        pool text NOT NULL,
        priority text NOT NULL,
        state text NOT NULL CHECK (state IN ('open', 'claimed', 'signed', 'cancelled')),
        claimed_by text,
        claimed_at timestamptz,
        draft jsonb,
        draft_saved_at timestamptz,
        opened_at timestamptz NOT NULL,
        warn_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        warned_at timestamptz,
        breached_at timestamptz,
        signed_by text,
        signed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reading_task_pool_idx ON reading_task (pool, state, due_at)`);
    await q.query(`CREATE INDEX reading_task_claimed_idx ON reading_task (claimed_by, state) WHERE claimed_by IS NOT NULL`);
    await q.query(`
      CREATE TABLE unmatched_study (
        study_uid text PRIMARY KEY,
        accession_number text,
        patient_id text,
        patient_name text,
        study_date text,
        source_ae text,
        first_seen timestamptz NOT NULL DEFAULT now(),
        resolution text CHECK (resolution IN ('attached', 'registered-unscheduled', 'dismissed')),
        resolved_by text,
        resolved_at timestamptz,
        request_id uuid REFERENCES exam_request(id)
      )`);
    await q.query(`CREATE INDEX unmatched_study_open_idx ON unmatched_study (first_seen DESC) WHERE resolution IS NULL`);
    await q.query(`
      CREATE TABLE pathway_finding (
        request_id uuid NOT NULL REFERENCES exam_request(id) ON DELETE CASCADE,
        kind text NOT NULL,
        detail jsonb,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (request_id, kind)
      )`);
    await q.query(`CREATE INDEX pathway_finding_kind_idx ON pathway_finding (kind, at DESC)`);
    await q.query(`
      CREATE TABLE exam_access_grant (
        request_id uuid NOT NULL REFERENCES exam_request(id) ON DELETE CASCADE,
        grantee text NOT NULL,
        reason text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (request_id, grantee)
      )`);
    await q.query(`CREATE INDEX exam_access_grant_grantee_idx ON exam_access_grant (grantee)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS exam_access_grant, pathway_finding, unmatched_study, reading_task');
    await q.query('DROP INDEX IF EXISTS exam_request_state_created_idx, exam_request_site_created_idx');
    await q.query(`ALTER TABLE exam_request DROP COLUMN attention, DROP COLUMN acquired_study_uid, DROP COLUMN reading_pool,
      DROP COLUMN sla_due_at, DROP COLUMN sla_breached, DROP COLUMN closed_at`);
    await q.query(`ALTER TABLE exam_request DROP CONSTRAINT exam_request_source_check`);
    await q.query(`ALTER TABLE exam_request ADD CONSTRAINT exam_request_source_check CHECK (source IN ('rest', 'fhir', 'hl7'))`);
  }
}
