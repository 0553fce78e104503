import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lifecycle's steps move to the hub's audit trail (libs/audit), so `krypton audit verify`
 * covers them and the patient's access log shows them. Every `archive_event` row is copied there,
 * oldest first, as the action `archive-<step>` on the study with its patient; the chain stamps the
 * copy with the time of the migration, so the row's own time is kept in `detail.recordedAt`
 * (which the archive's event list reads back). Then the old table goes.
 */
export class ArchiveEventsToAudit1767770000001 implements MigrationInterface {
  name = 'ArchiveEventsToAudit1767770000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO audit_event (user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail)
      SELECT e.actor, '{}', NULL, 'archive-' || e.step,
             CASE WHEN e.step = 'deletion-refused-hold' THEN 'denied' ELSE 'allowed' END,
             CASE WHEN e.step IN ('hold-set', 'hold-cleared') THEN 'REST' ELSE 'workflow' END,
             'study', e.study_uid,
             coalesce((SELECT array_agg(coalesce(p.ins, p.issuer || '|' || p.patient_id)) FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = e.study_uid), '{}'),
             ARRAY[e.study_uid], NULL, NULL,
             e.detail || jsonb_build_object('recordedAt', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'copiedFrom', 'archive_event')
        FROM archive_event e ORDER BY e.id`);
    await q.query('DROP TABLE archive_event');
  }

  async down(q: QueryRunner): Promise<void> {
    // The copied records stay in the audit trail, which refuses deletion.
    await q.query(`
      CREATE TABLE archive_event (
        id bigserial PRIMARY KEY,
        study_uid text NOT NULL,
        step text NOT NULL,
        actor text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX archive_event_study_idx ON archive_event (study_uid, id)`);
  }
}
