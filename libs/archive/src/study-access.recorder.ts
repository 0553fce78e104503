import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { CatalogService, StudyReadListener } from '@krypton/catalog';

/**
 * Last access of studies, for the archive lifecycle, without a write per read: readers (WADO-RS,
 * C-MOVE, C-GET, forwarding — all through CatalogService.locate) add the study UID to an in-memory
 * set, and every `archive.accessFlushSeconds` one UPDATE stamps them all. A study read a thousand
 * times in a minute costs one row update; a read costs a Set.add on the hot path. A crash loses at
 * most one period of stamps, which moves a retention counted in years by seconds. The same UPDATE
 * asks for the recall of studies read while on the archive tier (the reads themselves were
 * answered from that tier); the worker's sweep turns the request into a signal. The archive owns
 * study_archive, so the recorder lives here and listens to the catalogue's reads.
 */
@Injectable()
export class StudyAccessRecorder implements StudyReadListener, OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('StudyAccess');
  private pending = new Set<string>();
  private readonly timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    @Optional() @Inject(KRYPTON_CONFIG) private readonly cfg?: KryptonConfig,
  ) {
    if (this.enabled) {
      this.timer = setInterval(() => void this.flush(), this.cfg!.archive.accessFlushSeconds * 1000);
      this.timer.unref();
    }
  }

  onModuleInit(): void {
    if (this.enabled) this.catalog.onStudiesRead(this);
  }

  private get enabled(): boolean {
    return this.cfg?.archive.enabled === true;
  }

  note(studyUids: ReadonlySet<string>): void {
    if (!this.enabled) return;
    for (const uid of studyUids) this.pending.add(uid);
  }

  /** Writes the pending stamps; on failure they are kept for the next period. */
  async flush(): Promise<number> {
    if (!this.pending.size) return 0;
    const uids = [...this.pending];
    this.pending = new Set();
    try {
      await this.ds.query(
        `UPDATE study_archive SET last_access_at = now(), updated_at = now(),
                recall_requested_at = CASE WHEN tier = 'archive' THEN coalesce(recall_requested_at, now()) ELSE recall_requested_at END
          WHERE study_uid = ANY($1)`,
        [uids],
      );
      return uids.length;
    } catch (e) {
      for (const u of uids) this.pending.add(u);
      this.log.warn(`last-access stamps not written, kept for the next period: ${(e as Error).message}`);
      return 0;
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
