import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NewRequest } from './new-request';
import { PathwayState } from './pathway-state';
import type { Procedure } from './procedure-catalogue';
import { patientColumns } from './request-patient.store';
import type { PathwayEventView, RequestFilter, RequestView } from './request-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `
  id, source, placer_system AS "placerSystem", placer_order_number AS "placerOrderNumber", state,
  patient, referrer, procedure_code, procedure_label, procedure_unmapped, modality, body_part, priority,
  clinical_information AS "clinicalInformation", target_site AS "targetSite",
  accession_number AS "accessionNumber", study_instance_uid AS "studyInstanceUid",
  scheduled_site, scheduled_ae_title, scheduled_at, workflow_id AS "workflowId",
  attention, acquired_study_uid AS "acquiredStudyUid", reading_pool, sla_due_at, sla_breached, closed_at,
  created_by AS "createdBy", created_at, updated_at`;

type Row = Omit<RequestView, 'procedure' | 'scheduled' | 'reading' | 'closedAt' | 'createdAt' | 'updatedAt'> & {
  reading_pool: string | null;
  sla_due_at: Date | null;
  sla_breached: boolean;
  closed_at: Date | null;
  procedure_code: string;
  procedure_label: string | null;
  procedure_unmapped: boolean;
  modality: string | null;
  body_part: string | null;
  scheduled_site: string | null;
  scheduled_ae_title: string | null;
  scheduled_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

function toView(r: Row): RequestView {
  const {
    procedure_code,
    procedure_label,
    procedure_unmapped,
    modality,
    body_part,
    scheduled_site,
    scheduled_ae_title,
    scheduled_at,
    created_at,
    updated_at,
    reading_pool,
    sla_due_at,
    sla_breached,
    closed_at,
    ...rest
  } = r;
  return {
    ...rest,
    reading: reading_pool ? { pool: reading_pool, dueAt: sla_due_at ? new Date(sla_due_at).toISOString() : null, slaBreached: sla_breached } : null,
    closedAt: closed_at ? new Date(closed_at).toISOString() : null,
    procedure: { code: procedure_code, label: procedure_label, modality, bodyPart: body_part, unmapped: procedure_unmapped },
    scheduled: scheduled_site && scheduled_ae_title && scheduled_at ? { site: scheduled_site, aeTitle: scheduled_ae_title, at: new Date(scheduled_at).toISOString() } : null,
    createdAt: new Date(created_at).toISOString(),
    updatedAt: new Date(updated_at).toISOString(),
  };
}

export interface InsertRequest {
  readonly id: string;
  readonly workflowId: string;
  readonly request: NewRequest;
  readonly procedure: Procedure | undefined;
  readonly createdBy: string | null;
}

/** The `exam_request` table: rows are written here at intake, and their state by the pathway activities. */
@Injectable()
export class RequestStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts the request unless one with the same (placer system, placer order number) exists.
   * @returns the id of the stored request, and whether this call inserted it.
   */
  async insertOnce({ id, workflowId, request: r, procedure, createdBy }: InsertRequest): Promise<{ id: string; inserted: boolean }> {
    const patient = patientColumns(r.patient);
    const inserted = await this.ds.query(
      `INSERT INTO exam_request (id, source, placer_system, placer_order_number, patient, patient_ins, patient_local_ids, patient_family_name,
         referrer, procedure_code, procedure_label, procedure_unmapped, modality, body_part, priority, clinical_information, target_site,
         state, workflow_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (coalesce(placer_system, ''), placer_order_number) WHERE placer_order_number IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        id,
        r.source,
        r.placerSystem ?? null,
        r.placerOrderNumber ?? null,
        JSON.stringify(r.patient),
        patient.ins,
        patient.localIds,
        patient.familyName,
        JSON.stringify(r.referrer),
        procedure?.code ?? r.procedureCode.trim(),
        procedure?.label ?? r.procedureText ?? null,
        procedure === undefined,
        procedure?.modality ?? null,
        procedure?.bodyPart ?? null,
        r.priority,
        r.clinicalInformation ?? null,
        r.targetSite,
        PathwayState.Received,
        workflowId,
        createdBy,
      ],
    );
    if (inserted.length) return { id: inserted[0].id, inserted: true };
    const [existing] = await this.ds.query(`SELECT id FROM exam_request WHERE coalesce(placer_system, '') = $1 AND placer_order_number = $2`, [r.placerSystem ?? '', r.placerOrderNumber]);
    return { id: existing.id, inserted: false };
  }

  async get(id: string): Promise<RequestView | null> {
    if (!UUID.test(id)) return null;
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM exam_request WHERE id = $1`, [id]);
    return rows.length ? toView(rows[0]) : null;
  }

  /** Newest first. Each filter is optional and ANDed; the indexes cover state/priority, site and the two numbers. */
  async list(f: RequestFilter): Promise<RequestView[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      args.push(value);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.access === 'none') where.push('false');
    else if (f.access) {
      const params = f.access.params;
      let k = 0;
      where.push(f.access.sql.replace(/\$/g, () => `$${args.push(params[k++])}`));
    }
    if (f.accessionNumber !== undefined) add('accession_number = ?', f.accessionNumber);
    if (f.placerOrderNumber !== undefined) add('placer_order_number = ?', f.placerOrderNumber);
    if (f.state !== undefined) add('state = ?', f.state);
    if (f.site !== undefined) add('coalesce(scheduled_site, target_site) = ?', f.site);
    if (f.priority !== undefined) add('priority = ?', f.priority);
    if (f.slaBreached !== undefined) add('sla_breached = ?', f.slaBreached);
    if (f.readingPool !== undefined) add('reading_pool = ?', f.readingPool);
    if (f.patient?.ins !== undefined) add('patient_ins = ?', f.patient.ins);
    if (f.patient?.localId !== undefined) add('? = ANY(patient_local_ids)', f.patient.localId);
    if (f.patient?.value !== undefined) add(`EXISTS (SELECT 1 FROM unnest(patient_local_ids) l WHERE substr(l, strpos(l, '|') + 1) = ?)`, f.patient.value);
    // Same expression as the partial index exam_request_attention_idx.
    if (f.waitingOnOperator === true) where.push('(attention IS NOT NULL OR procedure_unmapped)');
    if (f.waitingOnOperator === false) where.push('NOT (attention IS NOT NULL OR procedure_unmapped)');
    args.push(f.limit ?? 100, f.offset ?? 0);
    const rows: Row[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM exam_request ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id LIMIT $${args.length - 1} OFFSET $${args.length}`,
      args,
    );
    return rows.map(toView);
  }

  async timeline(id: string): Promise<PathwayEventView[]> {
    const rows = await this.ds.query(`SELECT step, state, at, actor, detail FROM pathway_event WHERE request_id = $1 ORDER BY at, id`, [id]);
    return rows.map((r: PathwayEventView & { at: Date }) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
