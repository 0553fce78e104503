import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `mpps.match_sent_for`: the `updated_at` of the MPPS version the acquisition matcher last
 * handled. A step created or updated since, whose job was lost (Redis restarted), is queued again
 * by the worker's StageRedriveService. Existing rows count as handled.
 */
export class MppsMatchRedrive1767400000001 implements MigrationInterface {
  name = 'MppsMatchRedrive1767400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mpps ADD COLUMN match_sent_for timestamptz`);
    await q.query(`UPDATE mpps SET match_sent_for = updated_at`);
    await q.query(`CREATE INDEX mpps_match_due_idx ON mpps (updated_at) WHERE match_sent_for IS DISTINCT FROM updated_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE mpps DROP COLUMN match_sent_for');
  }
}
