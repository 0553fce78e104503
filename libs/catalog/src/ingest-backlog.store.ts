import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A study quiet for the stable period whose latest instances have not been handed on yet. */
export interface DueStudy {
  readonly studyUid: string;
  /**
   * The `last_indexed_at` this hand-over is for, as PostgreSQL writes it (microseconds: a JS Date
   * would round it to milliseconds and never match again), passed back to `stableSent`.
   */
  readonly lastIndexedAt: string;
}

/** A dose-bearing instance whose dose is not filed yet, with what the dose stage needs. */
export interface PendingDoseInstance {
  readonly storageKey: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly patientId: string;
  readonly issuer: string;
  readonly studyUid: string;
  readonly modality: string | null;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly stationName: string | null;
  readonly sourceAe: string | null;
}

/**
 * The catalogue as the outbox of the stages after indexing: what is still to be handed to
 * Temporal (study stable), to the acquisition matcher and to the dose registry is read from the
 * rows themselves (MPPS steps still to match: MppsBacklogStore in libs/pathway, which owns `mpps`), so a queue that loses its jobs only delays these stages (see the migration
 * IngestRedrive1767400000000).
 */
@Injectable()
export class IngestBacklogStore {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async dueStudies(quietSeconds: number, limit: number): Promise<DueStudy[]> {
    const rows: { study_uid: string; last_indexed_at: string }[] = await this.ds.query(
      `SELECT study_uid, last_indexed_at::text AS last_indexed_at FROM study
        WHERE stable_sent_for IS DISTINCT FROM last_indexed_at AND last_indexed_at < clock_timestamp() - make_interval(secs => $1)
        ORDER BY last_indexed_at LIMIT $2`,
      [quietSeconds, limit],
    );
    return rows.map((r) => ({ studyUid: r.study_uid, lastIndexedAt: r.last_indexed_at }));
  }

  /** Records the hand-over; a batch indexed since then keeps the study due. */
  async stableSent(study: DueStudy): Promise<void> {
    await this.ds.query('UPDATE study SET stable_sent_for = $2::timestamptz WHERE study_uid = $1', [study.studyUid, study.lastIndexedAt]);
  }

  /** Studies with a stable hand-over still to do (for /health and the metric). */
  async studiesAwaitingStable(): Promise<number> {
    const [r] = await this.ds.query('SELECT count(*)::int AS n FROM study WHERE stable_sent_for IS DISTINCT FROM last_indexed_at');
    return r.n;
  }

  async pendingDose(olderThanSeconds: number, limit: number): Promise<PendingDoseInstance[]> {
    return this.ds.query(
      `SELECT i.storage_key AS "storageKey", i.sop_instance_uid AS "sopInstanceUid", i.sop_class_uid AS "sopClassUid",
              p.patient_id AS "patientId", p.issuer, st.study_uid AS "studyUid", se.modality, st.study_date AS "studyDate",
              st.study_time AS "studyTime", se.station_name AS "stationName", i.source_ae AS "sourceAe"
         FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk JOIN patient p ON p.id = st.patient_fk
        WHERE i.dose_pending AND i.received_at < clock_timestamp() - make_interval(secs => $1)
        ORDER BY i.received_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }

  async doseFiled(sopInstanceUid: string): Promise<void> {
    await this.ds.query('UPDATE instance SET dose_pending = false WHERE sop_instance_uid = $1 AND dose_pending', [sopInstanceUid]);
  }

  async instancesAwaitingDose(): Promise<number> {
    const [r] = await this.ds.query('SELECT count(*)::int AS n FROM instance WHERE dose_pending');
    return r.n;
  }

  /**
   * Which of these instances the catalogue holds, indexed at or after the given time (an object
   * replaced at time t is only indexed once its row is as recent).
   */
  async indexed(items: readonly { readonly sopInstanceUid: string; readonly since: number | null }[]): Promise<Set<string>> {
    if (!items.length) return new Set();
    const rows: { uid: string }[] = await this.ds.query(
      `SELECT x.uid FROM unnest($1::text[], $2::float8[]) AS x(uid, since)
         JOIN instance i ON i.sop_instance_uid = x.uid
        WHERE x.since IS NULL OR i.received_at >= to_timestamp(x.since / 1000.0)`,
      [items.map((i) => i.sopInstanceUid), items.map((i) => i.since)],
    );
    return new Set(rows.map((r) => r.uid));
  }

  /**
   * Makes the later stages run again for these studies and dose-bearing instances (`krypton
   * reindex`): their stable hand-over and dose filing are due again.
   */
  async reemit(studyUids: readonly string[], doseInstanceUids: readonly string[]): Promise<void> {
    if (studyUids.length) await this.ds.query('UPDATE study SET last_indexed_at = clock_timestamp() WHERE study_uid = ANY($1)', [[...new Set(studyUids)].sort()]);
    if (doseInstanceUids.length) await this.ds.query('UPDATE instance SET dose_pending = true WHERE sop_instance_uid = ANY($1)', [doseInstanceUids]);
  }
}
