import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteCatalogStudy, setInstanceFileSize } from '@krypton/catalog';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { compressLosslessVerified } from '@krypton/dicom-codec';
import { ARCHIVE_COMPRESSED_SUFFIX, OBJECT_STORE, ObjectStore, TieredObjectStore } from '@krypton/storage';
import { planStudy, StudyArchiveFacts } from './archive-plan';
import { ArchiveDisabledError, ArchiveStudyDeletedError, ArchiveStudyNotFoundError } from './archive-errors';
import { archiveEvents, ArchiveEvent, recordArchiveEvent } from './archive-events';
import { ArchivedInstance } from './archived-objects';

/** A study's place in the lifecycle, as the workflow and the admin API see it. */
export interface StudyArchiveStatus {
  readonly studyUid: string;
  readonly tier: 'primary' | 'archive' | 'deleted';
  readonly legalHold: boolean;
  readonly holdReason: string | null;
  readonly lastAccessAt: string | null;
  /** When the policy moves it to the archive tier / allows its deletion (ISO), null for never. */
  readonly tierAt: string | null;
  readonly deleteAt: string | null;
  readonly policy: string | null;
}

export interface TierOutcome {
  readonly instances: number;
  readonly compressed: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export type DeleteOutcome = 'deleted' | 'held' | 'not-due';

interface InstanceRow {
  sop_instance_uid: string;
  storage_key: string;
  transfer_syntax_uid: string;
  file_size: string;
}

/**
 * The archive lifecycle's steps, each idempotent (the workflow's activities retry them): move a
 * study's objects to the archive tier (compressed losslessly where that is verified), bring them
 * back, delete them at the end of retention unless held. The order of each step is chosen so that
 * a crash anywhere leaves every object readable: write and check the archive copy, record it,
 * then remove the primary copy; on the way back the reverse.
 */
@Injectable()
export class ArchiveService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  private get tiers(): TieredObjectStore {
    if (!(this.store instanceof TieredObjectStore)) throw new ArchiveDisabledError();
    return this.store;
  }

  private async facts(studyUid: string): Promise<StudyArchiveFacts & { holdReason: string | null; lastAccess: string | null }> {
    const [r] = await this.ds.query(
      `SELECT a.tier, a.legal_hold, a.hold_reason, a.last_access_at, s.source_ae, coalesce(a.last_access_at, s.received_at, a.created_at) AS since,
              (SELECT array_agg(DISTINCT se.modality) FROM series se WHERE se.study_fk = s.id AND se.modality IS NOT NULL) AS modalities,
              (SELECT array_agg(DISTINCT i.sop_class_uid) FROM instance i JOIN series se ON se.id = i.series_fk WHERE se.study_fk = s.id) AS sop_classes
         FROM study_archive a LEFT JOIN study s ON s.study_uid = a.study_uid
        WHERE a.study_uid = $1`,
      [studyUid],
    );
    if (!r) throw new ArchiveStudyNotFoundError(studyUid);
    const site = this.cfg.aes.find((ae) => ae.aeTitle === r.source_ae)?.site ?? null;
    return {
      studyUid,
      site,
      modalities: r.modalities ?? [],
      sopClassUids: r.sop_classes ?? [],
      lastAccessAt: (r.since as Date).toISOString(),
      lastAccess: r.last_access_at ? (r.last_access_at as Date).toISOString() : null,
      tier: r.tier,
      legalHold: r.legal_hold,
      holdReason: r.hold_reason,
    };
  }

  async status(studyUid: string): Promise<StudyArchiveStatus> {
    const f = await this.facts(studyUid);
    const plan = f.tier === 'deleted' ? { tierAt: null, deleteAt: null, policy: null } : planStudy(f, this.cfg.archive.policies);
    return { studyUid, tier: f.tier, legalHold: f.legalHold, holdReason: f.holdReason, lastAccessAt: f.lastAccess, ...plan };
  }

  events(studyUid: string): Promise<ArchiveEvent[]> {
    return archiveEvents(this.ds, studyUid);
  }

  private async instances(studyUid: string): Promise<InstanceRow[]> {
    return this.ds.query(
      `SELECT i.sop_instance_uid, i.storage_key, i.transfer_syntax_uid, i.file_size
         FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk WHERE st.study_uid = $1`,
      [studyUid],
    );
  }

  /** Moves every object of the study to the archive tier. */
  async moveToArchive(studyUid: string, actor = 'lifecycle'): Promise<TierOutcome> {
    const { primary, archive } = this.tiers;
    const outcome = { instances: 0, compressed: 0, bytesBefore: 0, bytesAfter: 0 };
    for (const i of await this.instances(studyUid)) {
      if (!(await primary.exists(i.storage_key))) continue; // moved by an earlier attempt
      const bytes = await primary.get(i.storage_key);
      const compressed = this.cfg.archive.compression === 'jpeg-ls-lossless' ? await compressLosslessVerified(bytes, i.transfer_syntax_uid) : null;
      const key = compressed ? `${i.storage_key}${ARCHIVE_COMPRESSED_SUFFIX}` : i.storage_key;
      const body = compressed ?? bytes;
      await archive.put(key, [body], { onExisting: 'replace' });
      if ((await archive.size(key)) !== body.length) throw new Error(`archive copy of ${i.sop_instance_uid} has the wrong size`);
      await this.ds.query(
        `INSERT INTO archive_instance (sop_instance_uid, study_uid, archive_key, original_size, archived_size, compressed) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sop_instance_uid) DO UPDATE SET archive_key = $3, original_size = $4, archived_size = $5, compressed = $6, archived_at = now()`,
        [i.sop_instance_uid, studyUid, key, bytes.length, body.length, compressed !== null],
      );
      await primary.delete(i.storage_key);
      outcome.instances += 1;
      outcome.compressed += compressed ? 1 : 0;
      outcome.bytesBefore += bytes.length;
      outcome.bytesAfter += body.length;
    }
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE study_archive SET tier = 'archive', tiered_at = now(), updated_at = now() WHERE study_uid = $1 AND tier = 'primary'`, [studyUid]);
      await recordArchiveEvent(m, studyUid, 'tiered', actor, { ...outcome, tier: this.cfg.archive.tier.s3 ? 's3' : 'folder' });
    });
    return outcome;
  }

  /** Brings every object of the study back to the primary store. */
  async recall(studyUid: string, actor = 'lifecycle'): Promise<{ instances: number }> {
    const tiers = this.tiers;
    const rows: { sop_instance_uid: string; archive_key: string; storage_key: string }[] = await this.ds.query(
      `SELECT a.sop_instance_uid, a.archive_key, i.storage_key FROM archive_instance a JOIN instance i ON i.sop_instance_uid = a.sop_instance_uid WHERE a.study_uid = $1`,
      [studyUid],
    );
    for (const r of rows) {
      if (!(await tiers.primary.exists(r.storage_key))) {
        const bytes = await tiers.fromArchive(r.storage_key);
        await tiers.primary.put(r.storage_key, [bytes], { onExisting: 'keep-first' });
      }
      // A decompressed object is re-encoded: the catalogue keeps its size true for WADO's Content-Length.
      await setInstanceFileSize(this.ds, r.sop_instance_uid, await tiers.primary.size(r.storage_key));
      await tiers.archive.delete(r.archive_key);
      await this.ds.query('DELETE FROM archive_instance WHERE sop_instance_uid = $1', [r.sop_instance_uid]);
    }
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE study_archive SET tier = 'primary', recalled_at = now(), recall_requested_at = NULL, updated_at = now() WHERE study_uid = $1 AND tier = 'archive'`, [studyUid]);
      await recordArchiveEvent(m, studyUid, 'recalled', actor, { instances: rows.length });
    });
    return { instances: rows.length };
  }

  /**
   * Deletes the study's objects and catalogue rows, only when its retention has run out and no
   * legal hold is set. The row is locked while both are checked and the tier set to 'deleted', so
   * a hold set at the same moment either lands first (and deletion is refused) or finds the study
   * deleted; file removal follows and is repeated by a retry.
   */
  async deleteIfDue(studyUid: string, actor = 'lifecycle'): Promise<DeleteOutcome> {
    const f = await this.facts(studyUid);
    const plan = planStudy(f, this.cfg.archive.policies);
    const verdict: DeleteOutcome | 'go' = await this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT tier, legal_hold, hold_reason FROM study_archive WHERE study_uid = $1 FOR UPDATE', [studyUid]);
      if (row.tier === 'deleted') return 'go';
      if (row.legal_hold) {
        await recordArchiveEvent(m, studyUid, 'deletion-refused-hold', actor, { holdReason: row.hold_reason });
        return 'held';
      }
      if (!plan.deleteAt || Date.parse(plan.deleteAt) > Date.now()) return 'not-due';
      await m.query(`UPDATE study_archive SET tier = 'deleted', deleted_at = now(), updated_at = now() WHERE study_uid = $1`, [studyUid]);
      return 'go';
    });
    if (verdict !== 'go') return verdict;
    const store = this.store instanceof TieredObjectStore ? this.store : null;
    const archived: { archive_key: string }[] = await this.ds.query('SELECT archive_key FROM archive_instance WHERE study_uid = $1', [studyUid]);
    for (const a of archived) await store?.archive.delete(a.archive_key);
    const instances = await this.instances(studyUid);
    for (const i of instances) await (store?.primary ?? this.store).delete(i.storage_key);
    await this.ds.transaction(async (m) => {
      // Recorded first: the record names the study's patient, read from the rows deleted next.
      await recordArchiveEvent(m, studyUid, 'deleted', actor, { instances: instances.length, deleteAt: plan.deleteAt, policy: plan.policy });
      await m.query('DELETE FROM archive_instance WHERE study_uid = $1', [studyUid]);
      await deleteCatalogStudy(m, studyUid);
    });
    return 'deleted';
  }

  async setHold(studyUid: string, reason: string, actor: string): Promise<StudyArchiveStatus> {
    await this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT tier FROM study_archive WHERE study_uid = $1 FOR UPDATE', [studyUid]);
      if (!row) throw new ArchiveStudyNotFoundError(studyUid);
      if (row.tier === 'deleted') throw new ArchiveStudyDeletedError(studyUid);
      await m.query('UPDATE study_archive SET legal_hold = true, hold_reason = $2, hold_by = $3, hold_at = now(), updated_at = now() WHERE study_uid = $1', [studyUid, reason, actor]);
      await recordArchiveEvent(m, studyUid, 'hold-set', actor, { reason });
    });
    return this.status(studyUid);
  }

  async clearHold(studyUid: string, actor: string): Promise<StudyArchiveStatus> {
    await this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT tier, hold_reason FROM study_archive WHERE study_uid = $1 FOR UPDATE', [studyUid]);
      if (!row) throw new ArchiveStudyNotFoundError(studyUid);
      if (row.tier === 'deleted') throw new ArchiveStudyDeletedError(studyUid);
      await m.query('UPDATE study_archive SET legal_hold = false, hold_reason = NULL, hold_by = NULL, hold_at = NULL, updated_at = now() WHERE study_uid = $1', [studyUid]);
      await recordArchiveEvent(m, studyUid, 'hold-cleared', actor, { previousReason: row.hold_reason });
    });
    return this.status(studyUid);
  }

  /**
   * Files again what `krypton reindex` found only on the archive tier, once the catalogue holds the
   * instances: the archive copy of each (so a recall brings it back) and the study's tier, so the
   * lifecycle workflow and the admin API see the study where its objects are.
   */
  async fileArchived(items: readonly ArchivedInstance[]): Promise<void> {
    if (!items.length) return;
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO archive_instance (sop_instance_uid, study_uid, archive_key, original_size, archived_size, compressed)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[])
         ON CONFLICT (sop_instance_uid) DO NOTHING`,
        [
          items.map((i) => i.sopInstanceUid),
          items.map((i) => i.studyUid),
          items.map((i) => i.archiveKey),
          items.map((i) => i.originalSize),
          items.map((i) => i.archivedSize),
          items.map((i) => i.compressed),
        ],
      );
      const studies = [...new Set(items.map((i) => i.studyUid))];
      await m.query(`INSERT INTO study_archive (study_uid) SELECT unnest($1::text[]) ON CONFLICT (study_uid) DO NOTHING`, [studies]);
      await m.query(`UPDATE study_archive SET tier = 'archive', tiered_at = coalesce(tiered_at, now()), updated_at = now() WHERE study_uid = ANY($1) AND tier = 'primary'`, [studies]);
    });
  }

  /** Studies whose lifecycle workflow is not started yet (oldest first). */
  async studiesToStart(limit: number): Promise<string[]> {
    const rows = await this.ds.query('SELECT study_uid FROM study_archive WHERE NOT workflow_started ORDER BY created_at LIMIT $1', [limit]);
    return rows.map((r: { study_uid: string }) => r.study_uid);
  }

  async markStarted(studyUids: readonly string[]): Promise<void> {
    await this.ds.query('UPDATE study_archive SET workflow_started = true WHERE study_uid = ANY($1)', [studyUids]);
  }

  /** Studies read while on the archive tier, to be recalled. */
  async recallRequests(limit: number): Promise<string[]> {
    const rows = await this.ds.query(`SELECT study_uid FROM study_archive WHERE recall_requested_at IS NOT NULL AND tier = 'archive' ORDER BY recall_requested_at LIMIT $1`, [limit]);
    return rows.map((r: { study_uid: string }) => r.study_uid);
  }
}
