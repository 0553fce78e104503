import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What sharing (issue #11) asks of the decision point's own tables:
 * - `access_grant.rights`: a share opens an exam for viewing (`view`) or also for download;
 *   NULL keeps the older meaning (whatever the holder's role may do: break-the-glass, releases).
 * - `access_grant.origin`: what made the grant (`share:<id>`, `link:<id>`), so that revoking the
 *   share or the link revokes its grants at once, whichever lib made them.
 * - `patient_opposition`: a patient's objection to sharing (RGPD, Code de la santé publique
 *   L.1110-4), keyed `ins:<INS>` or `pid:<issuer>|<patientId>`. It belongs here and not to
 *   sharing because every door honours it: shares, links, routing, priors.
 * - `study_grant` again, with `rights`, and without share and link grants of an opposed patient:
 *   the one view both the decision (facts) and the search filters read, so both agree.
 */
export class AccessSharing1767730000000 implements MigrationInterface {
  name = 'AccessSharing1767730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_grant ADD COLUMN rights text CHECK (rights IN ('view', 'download')), ADD COLUMN origin text`);
    await q.query(`CREATE INDEX access_grant_origin_idx ON access_grant (origin) WHERE origin IS NOT NULL AND revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE patient_opposition (
        patient_key text PRIMARY KEY CHECK (patient_key ~ '^(ins|pid):.+'),
        opposed boolean NOT NULL,
        reason text,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('DROP VIEW study_grant');
    await q.query(`
      CREATE VIEW study_grant AS
        SELECT g.study_uid, g.grantee, g.kind, g.reason, g.expires_at, g.rights FROM access_grant g
         WHERE g.revoked_at IS NULL
           AND NOT (g.kind IN ('share', 'link') AND EXISTS (
                 SELECT 1 FROM study s JOIN patient p ON p.id = s.patient_fk
                   JOIN patient_opposition o ON o.opposed AND (o.patient_key = 'ins:' || p.ins OR o.patient_key = 'pid:' || p.issuer || '|' || p.patient_id)
                  WHERE s.study_uid = g.study_uid))
        UNION ALL
        SELECT x.study_uid, e.grantee, 'exam' AS kind, e.reason, NULL::timestamptz, NULL::text FROM exam_access_grant e JOIN exam_request_study x ON x.request_id = e.request_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW study_grant');
    await q.query(`
      CREATE VIEW study_grant AS
        SELECT g.study_uid, g.grantee, g.kind, g.reason, g.expires_at FROM access_grant g WHERE g.revoked_at IS NULL
        UNION ALL
        SELECT x.study_uid, e.grantee, 'exam' AS kind, e.reason, NULL::timestamptz FROM exam_access_grant e JOIN exam_request_study x ON x.request_id = e.request_id`);
    await q.query('DROP TABLE patient_opposition');
    await q.query('DROP INDEX access_grant_origin_idx');
    await q.query('ALTER TABLE access_grant DROP COLUMN origin, DROP COLUMN rights');
  }
}
