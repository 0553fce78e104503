import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * MPPS steps as the outbox of acquisition matching: a step's version (`updated_at`) is marked
 * matched (`match_sent_for`) once the matcher ran for it, so a job lost with Redis only delays the
 * match (the worker's StageRedriveService queues what is left; see MppsMatchRedrive1767400000001).
 */
@Injectable()
export class MppsBacklogStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** MPPS steps created or updated more than `olderThanSeconds` ago whose matching has not run for that version. */
  async awaitingMatch(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: { uid: string }[] = await this.ds.query(
      `SELECT sop_instance_uid AS uid FROM mpps
        WHERE match_sent_for IS DISTINCT FROM updated_at AND updated_at < clock_timestamp() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.uid);
  }

  /** The version of the step (its `updated_at`, as text: microseconds) about to be matched. */
  async version(sopInstanceUid: string): Promise<string | null> {
    const [r] = await this.ds.query('SELECT updated_at::text AS v FROM mpps WHERE sop_instance_uid = $1', [sopInstanceUid]);
    return r?.v ?? null;
  }

  async matched(sopInstanceUid: string, version: string): Promise<void> {
    await this.ds.query('UPDATE mpps SET match_sent_for = $2::timestamptz WHERE sop_instance_uid = $1', [sopInstanceUid, version]);
  }
}
