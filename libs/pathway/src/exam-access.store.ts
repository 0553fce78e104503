import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The minimal sharing model: an exam is shared with its referrer (`rpps:…`) and its patient
 * (`ins:…`) once reported. Radiology-side roles see every exam; a later issue brings finer rules
 * (sites, delegation, consent).
 */
@Injectable()
export class ExamAccessStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async isGranted(requestId: string, identifiers: readonly string[]): Promise<boolean> {
    if (!identifiers.length) return false;
    const rows = await this.ds.query('SELECT 1 FROM exam_access_grant WHERE request_id = $1 AND grantee = ANY($2) LIMIT 1', [requestId, identifiers]);
    return rows.length > 0;
  }

  /** Request ids shared with any of `identifiers`, newest grant first. */
  async sharedWith(identifiers: readonly string[], limit: number, offset: number): Promise<{ requestId: string; reason: string; grantedAt: string }[]> {
    if (!identifiers.length) return [];
    const rows = await this.ds.query(
      `SELECT request_id AS "requestId", min(reason) AS reason, min(granted_at) AS "grantedAt" FROM exam_access_grant WHERE grantee = ANY($1)
        GROUP BY request_id ORDER BY min(granted_at) DESC LIMIT $2 OFFSET $3`,
      [identifiers, limit, offset],
    );
    return rows.map((r: { requestId: string; reason: string; grantedAt: Date }) => ({ ...r, grantedAt: new Date(r.grantedAt).toISOString() }));
  }
}
