import { DataSource } from 'typeorm';
import { CatalogService, IndexBatchItem, IngestBacklogStore } from '@krypton/catalog';
import { dataSourceOptions } from '@krypton/database';
import { isDoseBearing } from '@krypton/dose-registry';
import { loadConfig } from '@krypton/config';
import { InvalidDicomError, MissingAttributeError, scanPart10, toInstanceRecord } from '@krypton/dicom-codec';
import { ArchivedInstance, ArchivedObject, archivedObjects, ArchiveService } from '@krypton/archive';
import { objectStoreFor, TieredObjectStore } from '@krypton/storage';
import { CliIo, Command, EXIT, UsageError } from '../command';
import { auditCli } from './cli-audit';

const BATCH = 200;
const PROGRESS_EVERY = 5000;

/**
 * `krypton reindex`: rebuilds the catalogue from storage, the source of truth. Every stored object
 * is scanned and filed again (idempotent: existing rows are left as they are), so an index that
 * lost jobs or a restored database catches up with the files. The later stages are emitted again
 * for everything found: each study is handed to Temporal and the acquisition matcher once quiet
 * (its `last_indexed_at` moves), and each dose-bearing instance's dose is filed again (idempotent).
 * With the archive lifecycle enabled the archive tier (folder or S3) is walked after the primary
 * store: an object only it holds is filed under its primary key, read through the tier (JPEG-LS
 * copies decompressed, as a recall would), and its archive copy and the study's tier are filed
 * again so that WADO, C-MOVE and the lifecycle workflow find it where it is. The sending AE comes
 * from the file meta (the gateway writes it there), so a study keeps its site and with it its
 * archive policy and its access rules.
 */
export const reindexCommand: Command = {
  path: ['reindex'],
  usage: '— file every object found in storage into the catalogue (idempotent), with progress',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    const cfg = loadConfig();
    const store = objectStoreFor(cfg);
    const tiers = store instanceof TieredObjectStore ? store : null;
    const ds = new DataSource(dataSourceOptions(cfg.database.url));
    await ds.initialize();
    // Refused if it cannot be audited: reindexing reads every stored object.
    await auditCli(ds, { action: 'administer', resourceType: 'study', reason: 'reindex the catalogue from storage' });
    let seen = 0;
    let unreadable = 0;
    let fromArchive = 0;
    const catalog = new CatalogService(ds);
    const backlog = new IngestBacklogStore(ds);
    const archive = tiers ? new ArchiveService(ds, cfg, store) : null;
    let batch: IndexBatchItem[] = [];
    let archived: ArchivedInstance[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await catalog.indexBatch(batch);
      await archive?.fileArchived(archived);
      await backlog.reemit(
        batch.map((i) => i.rec.studyUid),
        batch.filter((i) => i.doseBearing).map((i) => i.rec.sopInstanceUid),
      );
      batch = [];
      archived = [];
    };
    const file = async (key: string, buf: Buffer, onArchive: ArchivedObject | null) => {
      seen++;
      try {
        const scanned = scanPart10(buf);
        const rec = { ...toInstanceRecord(scanned.dataset), transferSyntaxUid: scanned.transferSyntaxUid, storageKey: key, fileSize: buf.length, sourceAe: scanned.sourceAeTitle || null };
        batch.push({ rec, replace: false, doseBearing: isDoseBearing(rec.sopClassUid, rec.modality, rec.hasHeaderDose) });
        if (onArchive && tiers) {
          fromArchive++;
          const archivedSize = await tiers.archive.size(onArchive.archiveKey);
          archived.push({ sopInstanceUid: rec.sopInstanceUid, studyUid: rec.studyUid, archiveKey: onArchive.archiveKey, originalSize: buf.length, archivedSize, compressed: onArchive.compressed });
        }
      } catch (e) {
        if (!(e instanceof InvalidDicomError || e instanceof MissingAttributeError)) throw e;
        unreadable++;
        io.stderr(`${JSON.stringify({ level: 'warn', msg: 'not indexed', key: onArchive?.archiveKey ?? key, tier: onArchive ? 'archive' : 'primary', err: e.message })}\n`);
      }
      if (batch.length >= BATCH) await flush();
      if (seen % PROGRESS_EVERY === 0) io.stderr(`${JSON.stringify({ level: 'info', msg: 'reindex progress', objects: seen })}\n`);
    };
    try {
      const primary = tiers?.primary ?? store;
      for await (const key of primary.keys()) await file(key, await primary.get(key), null);
      if (tiers) for await (const o of archivedObjects(tiers)) await file(o.storageKey, await tiers.fromArchive(o.storageKey), o);
      await flush();
    } finally {
      await ds.destroy();
    }
    io.stdout(`${JSON.stringify({ objects: seen, indexed: seen - unreadable, unreadable, fromArchive })}\n`);
    return unreadable ? EXIT.inputFailed : EXIT.ok;
  },
};
