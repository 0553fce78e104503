import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The archive lifecycle and research extraction write to this trail (they had tables of their
 * own before, copied here by their libs' migrations):
 * - the door `workflow`: a step a Temporal workflow takes on its own (a study moved to the archive
 *   tier, a research batch extracted), not at a person's request through a door;
 * - a unique index on the idempotency key a retried activity carries in `detail`: the writer
 *   checks it before inserting (a conflict is never left to ON CONFLICT, whose BEFORE trigger
 *   would already have advanced the chain head), and a race between two attempts fails one of
 *   them whole (its transaction, head update included, rolls back) instead of writing twice.
 * Neither touches the hashed canonical form.
 */
export class AuditWorkflowDoor1767770000000 implements MigrationInterface {
  name = 'AuditWorkflowDoor1767770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_door_check`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_door_check CHECK (door IN ('REST', 'DICOMweb', 'viewer', 'DIMSE', 'HL7', 'CLI', 'workflow'))`);
    await q.query(`CREATE UNIQUE INDEX audit_event_idempotency_idx ON audit_event ((detail->>'idempotencyKey')) WHERE detail ? 'idempotencyKey'`);
    await q.query(`CREATE INDEX audit_event_resource_idx ON audit_event (resource_type, resource_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX audit_event_resource_idx');
    await q.query('DROP INDEX audit_event_idempotency_idx');
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_event_door_check`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_door_check CHECK (door IN ('REST', 'DICOMweb', 'viewer', 'DIMSE', 'HL7', 'CLI'))`);
  }
}
