import { MigrationInterface, QueryRunner } from 'typeorm';

/** A protocol may share a study with a reading pool (grantee `pool:<id>`, read through the pool scope). */
export class SharePool1768140000000 implements MigrationInterface {
  name = 'SharePool1768140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE share DROP CONSTRAINT share_recipient_kind_check`);
    await q.query(`ALTER TABLE share ADD CONSTRAINT share_recipient_kind_check CHECK (recipient_kind IN ('rpps', 'site', 'organisation', 'pool'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM share WHERE recipient_kind = 'pool'`);
    await q.query(`ALTER TABLE share DROP CONSTRAINT share_recipient_kind_check`);
    await q.query(`ALTER TABLE share ADD CONSTRAINT share_recipient_kind_check CHECK (recipient_kind IN ('rpps', 'site', 'organisation'))`);
  }
}
