import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Electronic exam requests and the PostgreSQL mirror of their pathway workflows.
 *
 * - `exam_request`: one row per request, whichever door it came through. (placer system, placer
 *   order number) is the idempotency key of a resent order; the placer system may be unknown, so
 *   the unique index is on an expression. The patient is kept as received (JSON) next to the keys
 *   lists are searched by (INS, `issuer|value` local ids): the request is a document the referrer
 *   signed, and it is linked to the catalogue's patient only when images arrive.
 * - `pathway_event`: the timeline. `idem_key` (workflow run + activity id) makes a retried
 *   activity write its event once.
 * - `worklist_item`: what the Modality Worklist answers (one Scheduled Procedure Step per request
 *   for now); removed when the request is cancelled.
 */
export class ExamRequests1766000000000 implements MigrationInterface {
  name = 'ExamRequests1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exam_request (
        id uuid PRIMARY KEY,
        source text NOT NULL CHECK (source IN ('rest', 'fhir', 'hl7')),
        placer_system text,
        placer_order_number text,
        patient jsonb NOT NULL,
        patient_ins text,
        patient_local_ids text[] NOT NULL DEFAULT '{}',
        patient_family_name text NOT NULL,
        referrer jsonb NOT NULL,
        procedure_code text NOT NULL,
        procedure_label text,
        procedure_unmapped boolean NOT NULL,
        modality text,
        body_part text,
        priority text NOT NULL CHECK (priority IN ('routine', 'urgent', 'emergency')),
        clinical_information text,
        target_site text,
        state text NOT NULL,
        accession_number text UNIQUE,
        study_instance_uid text UNIQUE,
        scheduled_site text,
        scheduled_ae_title text,
        scheduled_at timestamptz,
        workflow_id text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX exam_request_placer_uq ON exam_request (coalesce(placer_system, ''), placer_order_number)
        WHERE placer_order_number IS NOT NULL`);
    await q.query(`CREATE INDEX exam_request_placer_order_idx ON exam_request (placer_order_number) WHERE placer_order_number IS NOT NULL`);
    await q.query(`CREATE INDEX exam_request_state_idx ON exam_request (state, priority, created_at DESC)`);
    await q.query(`CREATE INDEX exam_request_site_idx ON exam_request (coalesce(scheduled_site, target_site), state)`);
    await q.query(`CREATE INDEX exam_request_ins_idx ON exam_request (patient_ins) WHERE patient_ins IS NOT NULL`);
    await q.query(`CREATE INDEX exam_request_local_ids_idx ON exam_request USING gin (patient_local_ids)`);
    await q.query(`
      CREATE TABLE pathway_event (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES exam_request(id) ON DELETE CASCADE,
        idem_key text NOT NULL UNIQUE,
        step text NOT NULL,
        state text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor text,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX pathway_event_request_idx ON pathway_event (request_id, at, id)`);
    await q.query(`
      CREATE TABLE worklist_item (
        request_id uuid PRIMARY KEY REFERENCES exam_request(id) ON DELETE CASCADE,
        accession_number text NOT NULL,
        study_instance_uid text NOT NULL,
        requested_procedure_id text NOT NULL,
        sps_id text NOT NULL,
        site text NOT NULL,
        ae_title text NOT NULL,
        modality text,
        scheduled_at timestamptz NOT NULL,
        procedure_code text NOT NULL,
        procedure_label text,
        patient jsonb NOT NULL,
        priority text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The MWL C-FIND (next step) filters by scheduled AE / modality and date.
    await q.query(`CREATE INDEX worklist_item_ae_idx ON worklist_item (ae_title, scheduled_at)`);
    await q.query(`CREATE INDEX worklist_item_modality_idx ON worklist_item (modality, scheduled_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS worklist_item');
    await q.query('DROP TABLE IF EXISTS pathway_event');
    await q.query('DROP TABLE IF EXISTS exam_request');
  }
}
