import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the access decision reads besides the catalogue and the pathway mirror (issue #10):
 * - `access_grant`: study-level grants (break-the-glass today; sharing, issue #11, adds kinds),
 *   time-limited by `expires_at`, revoked by `revoked_at` (never deleted: the audit names them).
 * - `study_origin`: the site a study was uploaded from when no AE says it (STOW-RS). Keyed by
 *   Study UID without a foreign key: indexing is asynchronous and the row comes first.
 * - `exam_request_study`: each request with the study UIDs it names (pre-assigned, acquired),
 *   its site, referrer RPPS and creator — the join every exam scope shares.
 * - `study_grant`: every grant by study, the pathway's request-level `exam_access_grant` included.
 * - Indexes serving the scope filters of searches (source AE, referrer RPPS, creator).
 */
export class Access1767300000000 implements MigrationInterface {
  name = 'Access1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_grant (
        id uuid PRIMARY KEY,
        study_uid text NOT NULL,
        grantee text NOT NULL,
        kind text NOT NULL,
        reason text NOT NULL,
        granted_by text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX access_grant_grantee_idx ON access_grant (grantee, study_uid) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX access_grant_study_idx ON access_grant (study_uid) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE study_origin (
        study_uid text NOT NULL,
        site text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (study_uid, site)
      )`);
    await q.query(`CREATE INDEX study_origin_site_idx ON study_origin (site, study_uid)`);
    await q.query(`CREATE INDEX study_source_ae_idx ON study (source_ae)`);
    await q.query(`CREATE INDEX exam_request_rpps_idx ON exam_request ((referrer->>'rpps')) WHERE referrer->>'rpps' IS NOT NULL`);
    await q.query(`CREATE INDEX exam_request_created_by_idx ON exam_request (created_by) WHERE created_by IS NOT NULL`);
    await q.query(`
      CREATE VIEW exam_request_study AS
        SELECT r.id AS request_id, r.study_instance_uid AS study_uid, coalesce(r.scheduled_site, r.target_site) AS site,
               r.referrer->>'rpps' AS rpps, r.created_by, r.patient_ins
          FROM exam_request r WHERE r.study_instance_uid IS NOT NULL
        UNION ALL
        SELECT r.id, r.acquired_study_uid, coalesce(r.scheduled_site, r.target_site), r.referrer->>'rpps', r.created_by, r.patient_ins
          FROM exam_request r WHERE r.acquired_study_uid IS NOT NULL AND r.acquired_study_uid IS DISTINCT FROM r.study_instance_uid`);
    await q.query(`
      CREATE VIEW study_grant AS
        SELECT g.study_uid, g.grantee, g.kind, g.reason, g.expires_at FROM access_grant g WHERE g.revoked_at IS NULL
        UNION ALL
        SELECT x.study_uid, e.grantee, 'exam' AS kind, e.reason, NULL::timestamptz FROM exam_access_grant e JOIN exam_request_study x ON x.request_id = e.request_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW IF EXISTS study_grant');
    await q.query('DROP VIEW IF EXISTS exam_request_study');
    await q.query('DROP INDEX IF EXISTS exam_request_created_by_idx, exam_request_rpps_idx, study_source_ae_idx');
    await q.query('DROP TABLE IF EXISTS study_origin, access_grant');
  }
}
