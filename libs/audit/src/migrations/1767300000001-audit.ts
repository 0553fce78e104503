import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (issue #10). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE for every
 * role (grants alone would not hold the superuser the demo connects as), and the privileges are
 * revoked from PUBLIC for deployments that connect as an ordinary role. Rows are hash-chained:
 * the insert trigger numbers each row under the lock of the one-row `audit_chain_head` and sets
 * `hash = sha256(prev_hash || canonical(row))`, so `krypton audit verify` finds an edited row
 * (hash), a removed one (gap in `seq` or broken link) and a truncated tail (head ahead of the rows).
 * The canonical form is a JSON array that the verifier rebuilds in TypeScript.
 */
export class Audit1767300000001 implements MigrationInterface {
  name = 'Audit1767300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`INSERT INTO audit_chain_head VALUES (1, 0, repeat('0', 64))`);
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id text,
        roles text[] NOT NULL DEFAULT '{}',
        site text,
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
        door text NOT NULL CHECK (door IN ('REST', 'DICOMweb', 'viewer', 'DIMSE', 'HL7', 'CLI')),
        resource_type text NOT NULL,
        resource_id text,
        patients text[] NOT NULL DEFAULT '{}',
        studies text[] NOT NULL DEFAULT '{}',
        reason text,
        client_address text,
        detail jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_event_at_idx ON audit_event (at DESC)`);
    await q.query(`CREATE INDEX audit_event_user_idx ON audit_event (user_id, at DESC)`);
    await q.query(`CREATE INDEX audit_event_patients_idx ON audit_event USING gin (patients)`);
    await q.query(`CREATE INDEX audit_event_studies_idx ON audit_event USING gin (studies)`);
    await q.query(`
      CREATE FUNCTION audit_event_canonical(e audit_event) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
        SELECT '[' || concat_ws(',',
          e.seq::text,
          to_json(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
          coalesce(to_json(e.user_id)::text, 'null'),
          array_to_json(e.roles)::text,
          coalesce(to_json(e.site)::text, 'null'),
          to_json(e.action)::text,
          to_json(e.outcome)::text,
          to_json(e.door)::text,
          to_json(e.resource_type)::text,
          coalesce(to_json(e.resource_id)::text, 'null'),
          array_to_json(e.patients)::text,
          array_to_json(e.studies)::text,
          coalesce(to_json(e.reason)::text, 'null'),
          coalesce(to_json(e.client_address)::text, 'null'),
          coalesce(to_json(e.detail::text)::text, 'null')) || ']'
      $fn$`);
    await q.query(`
      CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE head audit_chain_head;
      BEGIN
        -- The row lock on the head serialises writers until COMMIT: the chain has one order.
        UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING * INTO head;
        NEW.seq := head.seq;
        NEW.at := clock_timestamp();
        NEW.prev_hash := head.hash;
        NEW.hash := encode(sha256(convert_to(NEW.prev_hash || audit_event_canonical(NEW), 'UTF8')), 'hex');
        UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
    await q.query(`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_chain_head FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS audit_event, audit_chain_head');
    await q.query('DROP FUNCTION IF EXISTS audit_event_chain(), audit_event_append_only(), audit_event_canonical(audit_event)');
  }
}
