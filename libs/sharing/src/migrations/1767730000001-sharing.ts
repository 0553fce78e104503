import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sharing (issue #11). The grants a share or a link opens live in `access_grant` (libs/access,
 * origin `share:<id>` / `link:<id>`); these tables keep what sharing itself must remember:
 * - `share`: who shared which studies with whom, what the recipient may do, until when, revoked
 *   or not, and how the e-mail notification went (never deleted: the audit names shares).
 * - `patient_link`: a link to one exam for the patient, known by the SHA-256 of its token only
 *   (the token is shown once, in the link and its QR code); a one-time code is kept as a scrypt
 *   hash; wrong second factors are counted here so that every api copy sees the same count.
 * - `patient_link_session`: the viewer session an opened link gives (cookie token, by hash).
 */
export class Sharing1767730000001 implements MigrationInterface {
  name = 'Sharing1767730000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE share (
        id uuid PRIMARY KEY,
        study_uids text[] NOT NULL CHECK (cardinality(study_uids) > 0),
        patient text,
        recipient_kind text NOT NULL CHECK (recipient_kind IN ('rpps', 'site', 'organisation')),
        recipient text NOT NULL,
        grantees text[] NOT NULL,
        rights text NOT NULL CHECK (rights IN ('view', 'download')),
        message text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        notify_state text NOT NULL DEFAULT 'pending' CHECK (notify_state IN ('pending', 'sent', 'failed', 'no-address', 'no-relay')),
        notify_to text[] NOT NULL DEFAULT '{}',
        notified_at timestamptz,
        notify_error text
      )`);
    await q.query(`CREATE INDEX share_grantees_idx ON share USING gin (grantees) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX share_studies_idx ON share USING gin (study_uids)`);
    await q.query(`CREATE INDEX share_created_by_idx ON share (created_by, created_at DESC)`);
    await q.query(`
      CREATE TABLE patient_link (
        id uuid PRIMARY KEY,
        token_sha256 text NOT NULL UNIQUE,
        study_uid text NOT NULL,
        patient_ins text,
        patient_key text NOT NULL,
        second_factor text NOT NULL CHECK (second_factor IN ('birth-date', 'code')),
        code_hash text,
        code_sent_to text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        failed_attempts int NOT NULL DEFAULT 0,
        locked_at timestamptz,
        opened_count int NOT NULL DEFAULT 0,
        last_opened_at timestamptz,
        CHECK (second_factor <> 'code' OR code_hash IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX patient_link_study_idx ON patient_link (study_uid)`);
    await q.query(`CREATE INDEX patient_link_ins_idx ON patient_link (patient_ins) WHERE patient_ins IS NOT NULL`);
    await q.query(`
      CREATE TABLE patient_link_session (
        token_sha256 text PRIMARY KEY,
        link_id uuid NOT NULL REFERENCES patient_link(id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX patient_link_session_link_idx ON patient_link_session (link_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE patient_link_session, patient_link, share');
  }
}
