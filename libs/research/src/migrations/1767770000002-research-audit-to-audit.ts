import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A research project's steps move to the hub's audit trail (libs/audit), so `krypton audit
 * verify` covers them and a patient's access log shows the extractions of their images. Every
 * `research_audit` row is copied there, oldest first, as `research-<action>` on the project (door
 * `workflow` for a row an activity wrote with its idempotency key, which is kept so a retry does
 * not write it again; `REST` otherwise); the row's time is kept in `detail.recordedAt`. The old
 * batches named no patient: one `research-extraction` record per project names the patients and
 * studies of every instance already extracted. Then the old table goes.
 */
export class ResearchAuditToAudit1767770000002 implements MigrationInterface {
  name = 'ResearchAuditToAudit1767770000002';

  async up(q: QueryRunner): Promise<void> {
    const stamp = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    await q.query(`
      INSERT INTO audit_event (user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail)
      SELECT a.actor, '{}', NULL, 'research-' || a.action, 'allowed', CASE WHEN a.idem_key IS NULL THEN 'REST' ELSE 'workflow' END,
             'research-project', a.project_id::text, '{}', '{}', NULL, NULL,
             jsonb_strip_nulls(jsonb_build_object('state', a.state, 'recordedAt', ${stamp('a.at')}, 'copiedFrom', 'research_audit', 'idempotencyKey', a.idem_key))
               || jsonb_build_object('detail', a.detail)
        FROM research_audit a ORDER BY a.at, a.id`);
    await q.query(`
      INSERT INTO audit_event (user_id, roles, site, action, outcome, door, resource_type, resource_id, patients, studies, reason, client_address, detail)
      SELECT NULL, '{}', NULL, 'research-extraction', 'allowed', 'workflow', 'research-project', c.project_id::text,
             array_agg(DISTINCT coalesce(p.ins, p.issuer || '|' || p.patient_id)), array_agg(DISTINCT st.study_uid), NULL, NULL,
             jsonb_build_object('state', 'extracting', 'detail', jsonb_build_object('instances', count(*)), 'copiedFrom', 'research_cohort_item',
               'recordedAt', (SELECT ${stamp('max(a.at)')} FROM research_audit a WHERE a.project_id = c.project_id AND a.action = 'extraction-batch'))
        FROM research_cohort_item c JOIN instance i ON i.id = c.instance_fk JOIN series se ON se.id = i.series_fk
        JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk
       WHERE c.outcome IS NOT NULL
       GROUP BY c.project_id ORDER BY c.project_id`);
    await q.query('DROP TABLE research_audit');
  }

  async down(q: QueryRunner): Promise<void> {
    // The copied records stay in the audit trail, which refuses deletion.
    await q.query(`
      CREATE TABLE research_audit (
        id bigserial PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES research_project(id) ON DELETE CASCADE,
        idem_key text UNIQUE,
        at timestamptz NOT NULL DEFAULT now(),
        actor text,
        action text NOT NULL,
        state text,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX research_audit_project_idx ON research_audit (project_id, at, id)`);
  }
}
