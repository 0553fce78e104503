import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every HL7 v2 message the gateway receives, written before it is acknowledged: the raw bytes are
 * the evidence of what a hospital sent, whatever became of it. One row per receipt, resends
 * included (a resend is marked `duplicate` and points at the receipt that was applied).
 *
 * "Applied once" is enforced here, not in memory: at most one row per (sending application,
 * sending facility, MSH-10) may reach `applied` or `pending`, so two gateway copies receiving the
 * same resend at once cannot both apply it. Sender names are '' rather than NULL when absent so that
 * the unique index compares them.
 */
export class Hl7Messages1766100000000 implements MigrationInterface {
  name = 'Hl7Messages1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE hl7_message (
        id bigserial PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now(),
        peer text NOT NULL,
        control_id text NOT NULL DEFAULT '',
        sending_application text NOT NULL DEFAULT '',
        sending_facility text NOT NULL DEFAULT '',
        message_type text NOT NULL DEFAULT '',
        version text NOT NULL DEFAULT '',
        raw bytea NOT NULL,
        size_bytes integer NOT NULL,
        -- An oversized frame keeps only its head: enough to address the AR and to find the sender.
        truncated boolean NOT NULL DEFAULT false,
        -- received: stored, not yet answered; applied: orders handed to the requests; pending: valid,
        -- filed for a later consumer (ADT); duplicate: a resend of an applied one; error: AE; rejected: AR.
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'applied', 'pending', 'duplicate', 'error', 'rejected')),
        ack_code text CHECK (ack_code IN ('AA', 'AE', 'AR')),
        error_code integer,
        error_location text,
        error_text text,
        duplicate_of bigint REFERENCES hl7_message(id),
        -- What the message became: request ids for orders, the typed message for ADT.
        payload jsonb,
        processed_at timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX hl7_message_applied_once ON hl7_message (sending_application, sending_facility, control_id)
        WHERE status IN ('applied', 'pending')`);
    await q.query(`CREATE INDEX hl7_message_control_idx ON hl7_message (sending_application, sending_facility, control_id)`);
    await q.query(`CREATE INDEX hl7_message_received_idx ON hl7_message (received_at)`);
    await q.query(`CREATE INDEX hl7_message_open_idx ON hl7_message (status) WHERE status IN ('received', 'pending', 'error')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hl7_message`);
  }
}
