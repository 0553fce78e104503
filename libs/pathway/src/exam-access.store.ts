import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The pathway's grants: an exam is shared with its referrer (`rpps:…`) and its patient (`ins:…`)
 * once reported. libs/access reads them (view `study_grant`) in every decision; this store lists
 * what is shared with a caller.
 */
@Injectable()
export class ExamAccessStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

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
