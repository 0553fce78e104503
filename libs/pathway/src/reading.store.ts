import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ReportDraft {
  readonly findings?: string;
  readonly conclusion?: string;
  readonly technique?: string;
}

export interface ReadingTaskView {
  readonly requestId: string;
  readonly pool: string;
  readonly priority: string;
  readonly state: 'open' | 'claimed' | 'signed' | 'cancelled';
  readonly claimedBy: string | null;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly slaWarned: boolean;
  readonly slaBreached: boolean;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly procedure: { readonly code: string; readonly label: string | null; readonly modality: string | null };
  readonly patient: unknown;
  readonly clinicalInformation: string | null;
  readonly draft: ReportDraft | null;
}

export interface ReadingTaskFilter {
  readonly pools: readonly string[];
  readonly state?: 'open' | 'claimed' | 'signed' | 'cancelled';
  readonly claimedBy?: string;
  readonly limit: number;
  readonly offset: number;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Radiologists' worklists from the mirror. Claiming is decided by the pathway workflow (an
 * Update); this store only reads tasks and keeps drafts, which change too often to be workflow
 * events and are not pathway transitions.
 */
@Injectable()
export class ReadingStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Most urgent first: the nearest deadline, emergencies before routine at the same deadline. */
  async list(f: ReadingTaskFilter): Promise<ReadingTaskView[]> {
    const args: unknown[] = [f.pools];
    const where = ['t.pool = ANY($1)'];
    if (f.state) where.push(`t.state = $${args.push(f.state)}`);
    if (f.claimedBy) where.push(`t.claimed_by = $${args.push(f.claimedBy)}`);
    args.push(f.limit, f.offset);
    const rows = await this.ds.query(
      `${SELECT} WHERE ${where.join(' AND ')}
        ORDER BY t.due_at, CASE t.priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, t.request_id
        LIMIT $${args.length - 1} OFFSET $${args.length}`,
      args,
    );
    return rows.map(toView);
  }

  async get(requestId: string): Promise<ReadingTaskView | null> {
    const rows = await this.ds.query(`${SELECT} WHERE t.request_id = $1`, [requestId]);
    return rows.length ? toView(rows[0]) : null;
  }

  /** @returns false unless the task is claimed by `by` (only the holder writes the draft). */
  async saveDraft(requestId: string, by: string, draft: ReportDraft): Promise<boolean> {
    const [, n]: [unknown[], number] = await this.ds.query(
      `UPDATE reading_task SET draft = $3, draft_saved_at = now(), updated_at = now() WHERE request_id = $1 AND state = 'claimed' AND claimed_by = $2`,
      [requestId, by, JSON.stringify(draft)],
    );
    return n > 0;
  }
}

const SELECT = `
  SELECT t.request_id, t.pool, t.priority, t.state, t.claimed_by, t.opened_at, t.due_at, t.warned_at, t.breached_at, t.draft,
         r.accession_number, coalesce(r.acquired_study_uid, r.study_instance_uid) AS study_uid, r.procedure_code, r.procedure_label, r.modality,
         r.patient, r.clinical_information
    FROM reading_task t JOIN exam_request r ON r.id = t.request_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toView(r: any): ReadingTaskView {
  return {
    requestId: r.request_id,
    pool: r.pool,
    priority: r.priority,
    state: r.state,
    claimedBy: r.claimed_by,
    openedAt: iso(r.opened_at)!,
    dueAt: iso(r.due_at)!,
    slaWarned: r.warned_at !== null,
    slaBreached: r.breached_at !== null,
    accessionNumber: r.accession_number,
    studyInstanceUid: r.study_uid,
    procedure: { code: r.procedure_code, label: r.procedure_label, modality: r.modality },
    patient: r.patient,
    clinicalInformation: r.clinical_information,
    draft: r.draft,
  };
}
