import { DataSource } from 'typeorm';
import { CatalogService, IndexBatchItem, IngestBacklogStore } from '@krypton/catalog';
import { dataSourceOptions } from '@krypton/database';
import { isDoseBearing } from '@krypton/dose-registry';
import { loadConfig } from '@krypton/config';
import { InvalidDicomError, MissingAttributeError, scanPart10, toInstanceRecord } from '@krypton/dicom-codec';
import { FsObjectStore } from '@krypton/storage';
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
 */
export const reindexCommand: Command = {
  path: ['reindex'],
  usage: '— file every object found in storage into the catalogue (idempotent), with progress',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    const cfg = loadConfig();
    const store = new FsObjectStore(cfg.storage.root);
    const ds = new DataSource(dataSourceOptions(cfg.database.url));
    await ds.initialize();
    // Refused if it cannot be audited: reindexing reads every stored object.
    await auditCli(ds, { action: 'administer', resourceType: 'study', reason: 'reindex the catalogue from storage' });
    let seen = 0;
    let unreadable = 0;
    const catalog = new CatalogService(ds);
    const backlog = new IngestBacklogStore(ds);
    let batch: IndexBatchItem[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await catalog.indexBatch(batch);
      await backlog.reemit(
        batch.map((i) => i.rec.studyUid),
        batch.filter((i) => i.doseBearing).map((i) => i.rec.sopInstanceUid),
      );
      batch = [];
    };
    try {
      for await (const key of store.keys()) {
        seen++;
        const buf = await store.get(key);
        try {
          const scanned = scanPart10(buf);
          const rec = { ...toInstanceRecord(scanned.dataset), transferSyntaxUid: scanned.transferSyntaxUid, storageKey: key, fileSize: buf.length, sourceAe: null };
          batch.push({ rec, replace: false, doseBearing: isDoseBearing(rec.sopClassUid, rec.modality, rec.hasHeaderDose) });
        } catch (e) {
          if (!(e instanceof InvalidDicomError || e instanceof MissingAttributeError)) throw e;
          unreadable++;
          io.stderr(`${JSON.stringify({ level: 'warn', msg: 'not indexed', key, err: e.message })}\n`);
        }
        if (batch.length >= BATCH) await flush();
        if (seen % PROGRESS_EVERY === 0) io.stderr(`${JSON.stringify({ level: 'info', msg: 'reindex progress', objects: seen })}\n`);
      }
      await flush();
    } finally {
      await ds.destroy();
    }
    io.stdout(`${JSON.stringify({ objects: seen, indexed: seen - unreadable, unreadable })}\n`);
    return unreadable ? EXIT.inputFailed : EXIT.ok;
  },
};
