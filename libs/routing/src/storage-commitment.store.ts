import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { refuseUncommittedItems } from '@krypton/catalog';
import type { CommitmentOutcome } from '@krypton/workflows/routing';

/** NOTIFY channel: a destination's report on a Transaction UID was filed (payload: the UID). */
const REPORTED = 'storage_commitment_reported';

/**
 * The `storage_commitment` table: one row per N-ACTION the hub sent after a forward (opened by the
 * forwarding activities), completed by the destination's N-EVENT-REPORT (filed by the DICOM gateway).
 */
@Injectable()
export class StorageCommitmentStore implements OnModuleDestroy {
  /** Routings waiting on a report, by Transaction UID: woken by the gateway's NOTIFY. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private listener?: Promise<Client | null>;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

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
      // Delivered at commit to the worker whose routing waits on it (awaitOutcome).
      await m.query(`SELECT pg_notify('${REPORTED}', $1)`, [transactionUid]);
      return true;
    });
  }

  /**
   * The outcome once the destination's report is filed, or still pending after `waitMs`: the
   * routing learns of the report when the gateway commits it, not at its next poll. Without the
   * LISTEN connection (database restarting) it simply waits and reads again.
   */
  async awaitOutcome(transactionUid: string, waitMs: number): Promise<CommitmentOutcome> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const set = this.waiting.get(transactionUid) ?? new Set();
    set.add(wake);
    this.waiting.set(transactionUid, set);
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.listen();
      // Read after LISTEN is in place: a report filed in between is seen by this read.
      const now = await this.outcome(transactionUid);
      if (now.state !== 'pending') return now;
      await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      return await this.outcome(transactionUid);
    } finally {
      clearTimeout(timer);
      set.delete(wake);
      if (!set.size) this.waiting.delete(transactionUid);
    }
  }

  private listen(): Promise<Client | null> {
    this.listener ??= (async () => {
      const client = new Client({ connectionString: this.cfg.database.url, application_name: 'krypton-commitment-reports' });
      const drop = () => {
        this.listener = undefined;
        void client.end().catch(() => undefined);
      };
      client.on('notification', (n) => {
        if (n.channel === REPORTED && n.payload) for (const wake of this.waiting.get(n.payload) ?? []) wake();
      });
      client.on('error', drop);
      try {
        await client.connect();
        await client.query(`LISTEN ${REPORTED}`);
        if (this.closed) await client.end();
        return client;
      } catch {
        drop();
        return null;
      }
    })();
    return this.listener;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const client = await this.listener;
    await client?.end().catch(() => undefined);
  }

  async outcome(transactionUid: string): Promise<CommitmentOutcome> {
    const [r] = await this.ds.query('SELECT state, committed, failed, detail FROM storage_commitment WHERE transaction_uid = $1', [transactionUid]);
    return r ?? { state: 'failed', committed: 0, failed: 0, detail: `no commitment transaction ${transactionUid}` };
  }
}
