import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit spool (issue #10, audit cost): a door's record is made durable in a local fsynced
 * spool and drained into `audit_event` right after. Two things the drain needs from the table:
 * - `record_id`, the id the spool gave the record, unique, so a segment drained again after a
 *   crash (records committed, segment not yet deleted) adds nothing. The drain filters on it
 *   before inserting: a conflict caught by the index alone would come after the chain trigger
 *   had taken a sequence number, and the batch is then retried whole.
 * - `at` is the time of the access, carried by the record, when given (the drain may run later,
 *   after a restart); the chain order stays `seq`, the insert order.
 */
export class AuditSpool1767750000000 implements MigrationInterface {
  name = 'AuditSpool1767750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD COLUMN record_id uuid`);
    await q.query(`CREATE UNIQUE INDEX audit_event_record_id_idx ON audit_event (record_id) WHERE record_id IS NOT NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE head audit_chain_head;
      BEGIN
        -- The row lock on the head serialises writers until COMMIT: the chain has one order.
        UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING * INTO head;
        NEW.seq := head.seq;
        NEW.at := coalesce(NEW.at, clock_timestamp());
        NEW.prev_hash := head.hash;
        NEW.hash := encode(sha256(convert_to(NEW.prev_hash || audit_event_canonical(NEW), 'UTF8')), 'hex');
        UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE head audit_chain_head;
      BEGIN
        UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING * INTO head;
        NEW.seq := head.seq;
        NEW.at := clock_timestamp();
        NEW.prev_hash := head.hash;
        NEW.hash := encode(sha256(convert_to(NEW.prev_hash || audit_event_canonical(NEW), 'UTF8')), 'hex');
        UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END
      $fn$`);
    await q.query(`DROP INDEX IF EXISTS audit_event_record_id_idx`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN record_id`);
  }
}
