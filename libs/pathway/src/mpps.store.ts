import { Inject, Injectable } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { ACQUISITION_QUEUE, AcquisitionJobData } from '@krypton/queue';
import { applySet, checkCreate, fromDicomJson, mppsColumns, MppsStatusValue, NaturalDataset, toDicomJson } from './mpps-step';
import { AcquisitionQueueUnavailableError, DuplicateMppsError, NoSuchMppsError } from './mpps-errors';

/** An enqueue that has not answered by then counts as Redis unreachable (ioredis would wait for ever). */
const ENQUEUE_TIMEOUT_MS = 5000;

export interface MppsWriteResult {
  readonly status: MppsStatusValue;
  /** Paths of attributes not kept (private attributes, N-SET of attributes that may not change). */
  readonly dropped: readonly string[];
}

/**
 * Writes `mpps` rows and tells the pathway, atomically: the acquisition job is added inside the
 * transaction, just before COMMIT, and a failure to add it rolls the row back. The modality then
 * gets 0x0110 and sends the step again, so a step the hub accepted is never one the pathway will
 * not hear of. The reverse gap (job added, COMMIT failing) leaves a job naming a row that does not
 * exist: the consumer must treat a missing row as "not yet" and retry, then drop it.
 */
@Injectable()
export class MppsStore {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @InjectQueue(ACQUISITION_QUEUE) private readonly queue: Queue<AcquisitionJobData>,
  ) {}

  /** N-CREATE. @throws MppsRefusedError (invalid status, duplicate, queue unavailable) */
  async create(sopInstanceUid: string, callingAe: string, ds: NaturalDataset): Promise<MppsWriteResult> {
    checkCreate(ds, sopInstanceUid);
    const c = mppsColumns(ds);
    const { json, dropped } = toDicomJson(ds);
    await this.ds.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO mpps (sop_instance_uid, status, calling_ae, performed_station_ae, modality, accession_number, study_instance_uid,
                           requested_procedure_id, sps_id, started_at, ended_at, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamp AT TIME ZONE $13, $11::timestamp AT TIME ZONE $13, $12)
         ON CONFLICT (sop_instance_uid) DO NOTHING
         RETURNING sop_instance_uid`,
        [
          sopInstanceUid,
          c.status,
          callingAe,
          c.performedStationAe,
          c.modality,
          c.accessionNumber,
          c.studyInstanceUid,
          c.requestedProcedureId,
          c.spsId,
          c.startedAt,
          c.endedAt,
          JSON.stringify(json),
          this.cfg.dicom.timeZone,
        ],
      );
      if (inserted.length === 0) throw new DuplicateMppsError(sopInstanceUid);
      await this.enqueue(sopInstanceUid);
    });
    return { status: c.status, dropped };
  }

  /** N-SET. @throws MppsRefusedError (unknown instance, step closed, invalid status, queue unavailable) */
  async set(sopInstanceUid: string, modification: NaturalDataset): Promise<MppsWriteResult> {
    return this.ds.transaction(async (m) => {
      const stored = await this.lock(m, sopInstanceUid);
      const { merged, ignored } = applySet(stored, modification, sopInstanceUid);
      const c = mppsColumns(merged);
      const { json, dropped } = toDicomJson(merged);
      await m.query(
        `UPDATE mpps SET status = $2, ended_at = $3::timestamp AT TIME ZONE $5, attributes = $4, updated_at = now()
          WHERE sop_instance_uid = $1`,
        [sopInstanceUid, c.status, c.endedAt, JSON.stringify(json), this.cfg.dicom.timeZone],
      );
      await this.enqueue(sopInstanceUid);
      return { status: c.status, dropped: [...ignored, ...dropped] };
    });
  }

  /** Row lock: two N-SETs of one step (a retry racing the original) apply one after the other. */
  private async lock(m: EntityManager, sopInstanceUid: string): Promise<NaturalDataset> {
    const [row]: { attributes: Record<string, unknown> }[] = await m.query('SELECT attributes FROM mpps WHERE sop_instance_uid = $1 FOR UPDATE', [sopInstanceUid]);
    if (!row) throw new NoSuchMppsError(sopInstanceUid);
    return fromDicomJson(row.attributes);
  }

  private async enqueue(sopInstanceUid: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.queue.add('mpps', { kind: 'mpps', sopInstanceUid }), timeout]);
    } catch (e) {
      throw new AcquisitionQueueUnavailableError(sopInstanceUid, e);
    } finally {
      clearTimeout(timer);
    }
  }
}
