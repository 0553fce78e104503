import { appendAuditRecordOnce, appendAuditRecords, AuditDoor, AuditRecord, SqlRunner } from '@krypton/audit';

/** A step of a research project as its page shows it. */
export interface AuditRow {
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly state: string | null;
  readonly detail: unknown;
}

export interface ResearchStep {
  readonly actor: string | null;
  /** submitted, amended, approved, extraction-batch, archive-downloaded, … (recorded as `research-<action>`). */
  readonly action: string;
  readonly state: string | null;
  readonly detail?: unknown;
  /** REST for a person's request through the API, workflow for a step the project's workflow takes. */
  readonly door: AuditDoor;
}

const ACTION_PREFIX = 'research-';
const RESOURCE = 'research-project';

function record(projectId: string, s: ResearchStep, extra: Pick<AuditRecord, 'patients' | 'studies'> = {}): AuditRecord {
  return {
    userId: s.actor,
    roles: [],
    site: null,
    action: `${ACTION_PREFIX}${s.action}`,
    outcome: 'allowed',
    door: s.door,
    resourceType: RESOURCE,
    resourceId: projectId,
    ...extra,
    detail: { state: s.state, detail: s.detail ?? null },
  };
}

/**
 * A project step in the hub's audit trail (libs/audit); with an idempotency key a retried
 * activity writes it once. Run it in the transaction of the step.
 */
export async function recordResearchStep(run: SqlRunner, projectId: string, step: ResearchStep, idempotencyKey: string | null): Promise<void> {
  if (idempotencyKey) await appendAuditRecordOnce(run, idempotencyKey, record(projectId, step));
  else await appendAuditRecords(run, [record(projectId, step)]);
}

/**
 * Written before a batch reads any image: the patients and studies of the instances it is about
 * to de-identify, so each patient's access log shows the extraction (an extraction that cannot be
 * audited does not happen). The key names the batch's first instance: a retry that resumes
 * further on is a new record, one that starts over is the same.
 */
export async function recordExtraction(run: SqlRunner, projectId: string, idempotencyKey: string, instanceFks: readonly string[]): Promise<void> {
  if (!instanceFks.length) return;
  const [who] = (await run(
    `SELECT array_agg(DISTINCT coalesce(p.ins, p.issuer || '|' || p.patient_id)) AS patients, array_agg(DISTINCT st.study_uid) AS studies
       FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk
      WHERE i.id = ANY($1::bigint[])`,
    [instanceFks],
  )) as { patients: string[] | null; studies: string[] | null }[];
  const step: ResearchStep = { actor: null, action: 'extraction', state: 'extracting', detail: { instances: instanceFks.length }, door: 'workflow' };
  await appendAuditRecordOnce(run, `${idempotencyKey}:from:${instanceFks[0]}`, record(projectId, step, { patients: who?.patients ?? [], studies: who?.studies ?? [] }));
}

/** The project's steps, oldest first. Records copied from the old `research_audit` table keep their time in `detail.recordedAt`. */
export async function researchAuditTrail(run: SqlRunner, projectId: string): Promise<AuditRow[]> {
  const rows = (await run(`SELECT user_id, action, detail, at FROM audit_event WHERE resource_type = '${RESOURCE}' AND resource_id = $1 ORDER BY seq`, [projectId])) as {
    user_id: string | null;
    action: string;
    detail: { state?: string | null; detail?: unknown; recordedAt?: string } | null;
    at: Date;
  }[];
  return rows.map((r) => ({
    at: r.detail?.recordedAt ? new Date(r.detail.recordedAt).toISOString() : r.at.toISOString(),
    actor: r.user_id,
    action: r.action.slice(ACTION_PREFIX.length),
    state: r.detail?.state ?? null,
    detail: r.detail?.detail ?? null,
  }));
}
