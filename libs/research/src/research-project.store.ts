import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PixelCleaningRule } from '@krypton/deid';
import { CohortCounts, CohortCriteria, cohortWhere, COHORT_FROM } from './cohort-criteria';
import { AuditRow, recordExtraction, recordResearchStep, researchAuditTrail, ResearchStep } from './research-audit';

export interface ProjectSubmission {
  readonly title: string;
  readonly protocolReference: string;
  readonly ethicsApprovalReference: string;
  readonly cohort: CohortCriteria;
  readonly options: readonly string[];
  readonly pixelCleaning?: readonly PixelCleaningRule[];
  readonly submittedBy: string;
}

/** What anyone allowed to see a project sees: criteria, decisions, counts; never an identity or the key. */
export interface ProjectRecord {
  readonly id: string;
  readonly title: string;
  readonly protocolReference: string;
  readonly ethicsApprovalReference: string;
  readonly cohort: CohortCriteria;
  readonly options: string[];
  readonly pixelCleaning: PixelCleaningRule[];
  readonly submittedBy: string;
  readonly state: string;
  readonly workflowId: string;
  readonly counts: { total: number; done: number; quarantined: number; failed: number };
  readonly archiveBytes: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const COLUMNS = `id, title, protocol_reference AS "protocolReference", ethics_approval_reference AS "ethicsApprovalReference",
  cohort, options, pixel_cleaning AS "pixelCleaning", submitted_by AS "submittedBy", state, workflow_id AS "workflowId", total, done, quarantined, failed,
  archive_bytes AS "archiveBytes", created_at AS "createdAt", updated_at AS "updatedAt"`;

function record(r: Record<string, unknown>): ProjectRecord {
  const { total, done, quarantined, failed, archiveBytes, ...rest } = r;
  return {
    ...(rest as unknown as ProjectRecord),
    counts: { total: Number(total), done: Number(done), quarantined: Number(quarantined), failed: Number(failed) },
    archiveBytes: archiveBytes === null ? null : Number(archiveBytes),
  };
}

/**
 * Research projects in PostgreSQL: the project row (with the project's key, generated at
 * submission and never returned by the API), the frozen cohort with each instance's outcome,
 * and the audit trail. Counts of the cohort are computed here, never the identities.
 */
@Injectable()
export class ResearchProjectStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async create(s: ProjectSubmission, workflowIdOf: (id: string) => string): Promise<ProjectRecord> {
    const id = randomUUID();
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO research_project (id, title, protocol_reference, ethics_approval_reference, cohort, options, pixel_cleaning, submitted_by, state, secret, workflow_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10)`,
        [
          id,
          s.title,
          s.protocolReference,
          s.ethicsApprovalReference,
          JSON.stringify(s.cohort),
          JSON.stringify(s.options),
          JSON.stringify(s.pixelCleaning ?? []),
          s.submittedBy,
          randomBytes(32),
          workflowIdOf(id),
        ],
      );
      await recordResearchStep(
        (text, values) => m.query(text, values),
        id,
        {
          actor: s.submittedBy,
          action: 'submitted',
          state: 'submitted',
          door: 'REST',
          detail: {
            title: s.title,
            protocolReference: s.protocolReference,
            ethicsApprovalReference: s.ethicsApprovalReference,
            cohort: s.cohort,
            options: s.options,
            pixelCleaning: s.pixelCleaning ?? [],
          },
        },
        null,
      );
    });
    return (await this.get(id))!;
  }

  /** A researcher's amendments, only while the committee has asked for changes. */
  async amend(id: string, by: string, changes: Partial<Pick<ProjectSubmission, 'title' | 'protocolReference' | 'ethicsApprovalReference' | 'cohort' | 'options'>>): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows] = await this.ds.query(
      `UPDATE research_project SET title = coalesce($2, title), protocol_reference = coalesce($3, protocol_reference),
         ethics_approval_reference = coalesce($4, ethics_approval_reference), cohort = coalesce($5, cohort), options = coalesce($6, options), updated_at = now()
       WHERE id = $1 AND state = 'changes-requested' RETURNING id`,
      [
        id,
        changes.title ?? null,
        changes.protocolReference ?? null,
        changes.ethicsApprovalReference ?? null,
        changes.cohort ? JSON.stringify(changes.cohort) : null,
        changes.options ? JSON.stringify(changes.options) : null,
      ],
    );
    if (rows.length) await this.audit(id, null, { actor: by, action: 'amended', state: 'changes-requested', detail: changes, door: 'REST' });
    return rows.length > 0;
  }

  async get(id: string): Promise<ProjectRecord | undefined> {
    const [row] = await this.ds.query(`SELECT ${COLUMNS} FROM research_project WHERE id = $1`, [id]);
    return row ? record(row) : undefined;
  }

  async list(submittedBy?: string): Promise<ProjectRecord[]> {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM research_project WHERE $1::text IS NULL OR submitted_by = $1 ORDER BY created_at DESC LIMIT 500`, [submittedBy ?? null]);
    return rows.map(record);
  }

  async secret(id: string): Promise<Buffer> {
    const [row] = await this.ds.query(`SELECT secret FROM research_project WHERE id = $1`, [id]);
    if (!row) throw new Error(`no research project ${id}`);
    return row.secret as Buffer;
  }

  async auditTrail(id: string): Promise<AuditRow[]> {
    return researchAuditTrail((text, values) => this.ds.query(text, values), id);
  }

  /** A step in the audit trail (libs/audit); with an idempotency key a retried activity writes it once. */
  async audit(id: string, idemKey: string | null, step: ResearchStep): Promise<void> {
    await recordResearchStep((text, values) => this.ds.query(text, values), id, step, idemKey);
  }

  /** Audits an extraction batch's patients and studies before it reads them (see recordExtraction). */
  async auditExtraction(id: string, idemKey: string, instanceFks: readonly string[]): Promise<void> {
    await recordExtraction((text, values) => this.ds.query(text, values), id, idemKey, instanceFks);
  }

  async transition(id: string, idemKey: string, state: string, action: string, actor: string | null, detail: unknown): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE research_project SET state = $2, updated_at = now() WHERE id = $1`, [id, state]);
      await recordResearchStep((text, values) => m.query(text, values), id, { actor, action, state, detail, door: 'workflow' }, idemKey);
    });
  }

  /** Counts of a cohort query: what a researcher and the committee see before approval. */
  async count(criteria: CohortCriteria): Promise<CohortCounts> {
    const { where, params } = cohortWhere(criteria);
    const [row] = await this.ds.query(
      `SELECT count(DISTINCT p.id) AS patients, count(DISTINCT st.id) AS studies, count(DISTINCT se.id) AS series, count(*) AS instances FROM ${COHORT_FROM} WHERE ${where}`,
      params,
    );
    return { patients: Number(row.patients), studies: Number(row.studies), series: Number(row.series), instances: Number(row.instances) };
  }

  /** Freezes the cohort once (later calls keep the first list), and returns the counts. */
  async freeze(id: string): Promise<{ total: number; done: number; quarantined: number; failed: number }> {
    const project = await this.get(id);
    if (!project) throw new Error(`no research project ${id}`);
    const { where, params } = cohortWhere(project.cohort);
    await this.ds.transaction(async (m) => {
      await m.query(`SELECT 1 FROM research_project WHERE id = $1 FOR UPDATE`, [id]);
      const [{ n }] = await m.query(`SELECT count(*) AS n FROM research_cohort_item WHERE project_id = $1`, [id]);
      if (Number(n) > 0) return;
      await m.query(`INSERT INTO research_cohort_item (project_id, instance_fk) SELECT $${params.length + 1}, i.id FROM ${COHORT_FROM} WHERE ${where}`, [...params, id]);
    });
    const { remaining: _remaining, ...counts } = await this.refreshCounts(id);
    return counts;
  }

  async pending(id: string, limit: number): Promise<{ instanceFk: string; storageKey: string }[]> {
    return this.ds.query(
      `SELECT c.instance_fk AS "instanceFk", i.storage_key AS "storageKey" FROM research_cohort_item c JOIN instance i ON i.id = c.instance_fk
       WHERE c.project_id = $1 AND c.outcome IS NULL ORDER BY c.instance_fk LIMIT $2`,
      [id, limit],
    );
  }

  async markItem(
    id: string,
    instanceFk: string,
    outcome: 'exported' | 'quarantined' | 'failed',
    reason: string | null,
    ids?: { patientPseudonym: string; studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string; sopClassUid: string; modality: string },
  ): Promise<void> {
    await this.ds.query(
      `UPDATE research_cohort_item SET outcome = $3, reason = $4, patient_pseudonym = $5, study_uid = $6, series_uid = $7, sop_instance_uid = $8, sop_class_uid = $9, modality = $10
       WHERE project_id = $1 AND instance_fk = $2`,
      [
        id,
        instanceFk,
        outcome,
        reason,
        ids?.patientPseudonym ?? null,
        ids?.studyInstanceUid ?? null,
        ids?.seriesInstanceUid ?? null,
        ids?.sopInstanceUid ?? null,
        ids?.sopClassUid ?? null,
        ids?.modality ?? null,
      ],
    );
  }

  async refreshCounts(id: string): Promise<{ total: number; done: number; quarantined: number; failed: number; remaining: number }> {
    const [row] = await this.ds.query(
      `SELECT count(*) AS total, count(*) FILTER (WHERE outcome = 'exported') AS done, count(*) FILTER (WHERE outcome = 'quarantined') AS quarantined,
              count(*) FILTER (WHERE outcome = 'failed') AS failed, count(*) FILTER (WHERE outcome IS NULL) AS remaining
       FROM research_cohort_item WHERE project_id = $1`,
      [id],
    );
    const counts = { total: Number(row.total), done: Number(row.done), quarantined: Number(row.quarantined), failed: Number(row.failed), remaining: Number(row.remaining) };
    await this.ds.query(`UPDATE research_project SET total = $2, done = $3, quarantined = $4, failed = $5, updated_at = now() WHERE id = $1`, [
      id,
      counts.total,
      counts.done,
      counts.quarantined,
      counts.failed,
    ]);
    return counts;
  }

  /** The manifest's rows: pseudonymous identifiers of the exported instances only. */
  async manifest(id: string): Promise<{ patientPseudonym: string; studyUid: string; seriesUid: string; sopInstanceUid: string; sopClassUid: string; modality: string }[]> {
    return this.ds.query(
      `SELECT patient_pseudonym AS "patientPseudonym", study_uid AS "studyUid", series_uid AS "seriesUid", sop_instance_uid AS "sopInstanceUid", sop_class_uid AS "sopClassUid", coalesce(modality, '') AS modality
       FROM research_cohort_item WHERE project_id = $1 AND outcome = 'exported' ORDER BY patient_pseudonym, study_uid, series_uid, sop_instance_uid`,
      [id],
    );
  }

  async quarantineReasons(id: string): Promise<{ reason: string; count: number }[]> {
    const rows = await this.ds.query(
      `SELECT coalesce(reason, '') AS reason, count(*) AS count FROM research_cohort_item WHERE project_id = $1 AND outcome IN ('quarantined', 'failed') GROUP BY reason ORDER BY reason`,
      [id],
    );
    return rows.map((r: { reason: string; count: string }) => ({ reason: r.reason, count: Number(r.count) }));
  }

  async setArchive(id: string, bytes: number): Promise<void> {
    await this.ds.query(`UPDATE research_project SET archive_bytes = $2, updated_at = now() WHERE id = $1`, [id, bytes]);
  }
}
