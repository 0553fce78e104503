import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `exam_prior`: the relevant prior studies attached to an exam's reading task, found by the priors
 * workflow in the catalogue (`available`) or at a site PACS (`to-fetch` → `fetching` → `available`,
 * or `failed` with the error). One row per request and prior study; the reading API lists them.
 */
export class ExamPriors1767740000000 implements MigrationInterface {
  name = 'ExamPriors1767740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exam_prior (
        request_id uuid NOT NULL REFERENCES exam_request(id) ON DELETE CASCADE,
        study_uid text NOT NULL,
        source text NOT NULL,
        state text NOT NULL CHECK (state IN ('available', 'to-fetch', 'fetching', 'failed')),
        study_date date,
        modalities text[] NOT NULL DEFAULT '{}',
        body_parts text[] NOT NULL DEFAULT '{}',
        description text,
        relevance text NOT NULL,
        rank integer NOT NULL,
        instances integer,
        last_error text,
        found_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (request_id, study_uid)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE exam_prior');
  }
}
