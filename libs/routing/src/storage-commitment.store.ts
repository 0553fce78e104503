import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { refuseUncommittedItems } from '@krypton/catalog';
import type { CommitmentOutcome } from '@krypton/workflows/routing';

/**
 * The `storage_commitment` table: one row per N-ACTION the hub sent after a forward (opened by the
 * forwarding activities), completed by the destination's N-EVENT-REPORT (filed by the DICOM gateway).
 */
@Injectable()
export class StorageCommitmentStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async open(transactionUid: string, jobId: string, destination: string, requested: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO storage_commitment (transaction_uid, job_id, destination, state, requested) VALUES ($1, $2, $3, 'pending', $4)
       ON CONFLICT (transaction_uid) DO NOTHING`,
      [transactionUid, jobId, destination, requested],
    );
  }

  /**
   * Files a destination's N-EVENT-REPORT. Instances it could not commit become refused items of the
   * job (with the failure reason, through the catalogue that owns them), so that an operator's
   * retry sends them again. False for an unknown transaction (a report we never asked for).
   */
  async report(transactionUid: string, committed: readonly string[], failed: readonly { sopInstanceUid: string; reason: number | null }[]): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(
        `UPDATE storage_commitment SET state = $2, committed = $3, failed = $4, failed_uids = $5, reported_at = now(),
                detail = CASE WHEN $4 > 0 THEN $6 ELSE NULL END
          WHERE transaction_uid = $1 RETURNING job_id`,
        [
          transactionUid,
          failed.length ? 'failed' : 'committed',
          committed.length,
          failed.length,
          failed.map((f) => f.sopInstanceUid),
          failed.length ? `failure reason ${[...new Set(failed.map((f) => (f.reason === null ? 'absent' : `0x${f.reason.toString(16)}`)))].join(', ')}` : null,
        ],
      );
      const jobId = rows[0]?.[0]?.job_id ?? rows[0]?.job_id;
      if (!jobId) return false;
      await refuseUncommittedItems(m, jobId, failed);
      return true;
    });
  }

  async outcome(transactionUid: string): Promise<CommitmentOutcome> {
    const [r] = await this.ds.query('SELECT state, committed, failed, detail FROM storage_commitment WHERE transaction_uid = $1', [transactionUid]);
    return r ?? { state: 'failed', committed: 0, failed: 0, detail: `no commitment transaction ${transactionUid}` };
  }
}
