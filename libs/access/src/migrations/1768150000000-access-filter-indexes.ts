import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the pool scope of the search filter (examFilter, issue #10): a radiologist's QIDO
 * finds the patients their pools hold an open or claimed task for (every study of those
 * patients is visible: the exams and their priors), and the exams whose task they claimed or
 * signed. Without them both read the whole of `reading_task` (one row per exam ever read).
 */
export class AccessFilterIndexes1768150000000 implements MigrationInterface {
  name = 'AccessFilterIndexes1768150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reading_task_open_pool_idx ON reading_task (pool) INCLUDE (request_id) WHERE state IN ('open', 'claimed')`);
    await q.query(`CREATE INDEX reading_task_signed_by_idx ON reading_task (signed_by) WHERE signed_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS reading_task_signed_by_idx, reading_task_open_pool_idx');
  }
}
