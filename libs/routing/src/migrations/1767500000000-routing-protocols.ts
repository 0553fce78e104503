import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inter-site protocols and the routings they start.
 *
 * - `routing_protocol_version`: every saved version of a protocol document (append-only; the YAML
 *   as the administrator wrote it and the validated document). One version per protocol is live
 *   (`published_at` set and latest): a partial unique index keeps at most one `live` row.
 * - `forward_job` gains the protocol, version and rule that started it (NULL for a manual send),
 *   so GET /studies/{uid}/forwards shows a protocol routing like a manual one.
 * - `routing_decision`: which protocol version was evaluated on which stable study and what it
 *   decided — idempotent per (study, protocol, version, stable count), the evidence of why a copy left.
 * - `storage_commitment`: one N-ACTION request per routing attempt (Transaction UID), completed by
 *   the destination's N-EVENT-REPORT that the DICOM gateway files; the routing polls it.
 */
export class RoutingProtocols1767500000000 implements MigrationInterface {
  name = 'RoutingProtocols1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing_protocol_version (
        protocol_id text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        source text NOT NULL,
        document jsonb NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_by text,
        published_at timestamptz,
        live boolean NOT NULL DEFAULT false,
        PRIMARY KEY (protocol_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX routing_protocol_live_idx ON routing_protocol_version (protocol_id) WHERE live`);
    await q.query(`
      ALTER TABLE forward_job
        ADD COLUMN protocol_id text,
        ADD COLUMN protocol_version integer,
        ADD COLUMN protocol_rule text`);
    await q.query(
      `CREATE INDEX forward_job_destination_idx ON forward_job (destination, created_at) WHERE state NOT IN ('completed', 'completed-with-failures', 'cancelled', 'skipped', 'rerouted', 'failed')`,
    );
    await q.query(`
      CREATE TABLE routing_decision (
        study_uid text NOT NULL,
        protocol_id text NOT NULL,
        protocol_version integer NOT NULL,
        stable_count integer NOT NULL,
        rules text[] NOT NULL,
        destinations text[] NOT NULL,
        fetch_priors boolean NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (study_uid, protocol_id, protocol_version, stable_count)
      )`);
    await q.query(`
      CREATE TABLE storage_commitment (
        transaction_uid text PRIMARY KEY,
        job_id text NOT NULL REFERENCES forward_job(id) ON DELETE CASCADE,
        destination text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'committed', 'failed')),
        requested integer NOT NULL,
        committed integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        failed_uids text[] NOT NULL DEFAULT '{}',
        detail text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        reported_at timestamptz
      )`);
    await q.query('CREATE INDEX storage_commitment_job_idx ON storage_commitment (job_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE storage_commitment');
    await q.query('DROP TABLE routing_decision');
    await q.query('DROP INDEX forward_job_destination_idx');
    await q.query('ALTER TABLE forward_job DROP COLUMN protocol_id, DROP COLUMN protocol_version, DROP COLUMN protocol_rule');
    await q.query('DROP TABLE routing_protocol_version');
  }
}
