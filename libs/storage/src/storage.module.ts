import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { decompressArchived } from '@krypton/dicom-codec';
import { OBJECT_STORE, ObjectStore } from './object-store';
import { FsObjectStore } from './fs-object-store';
import { S3ObjectStore } from './s3-object-store';
import { TieredObjectStore } from './tiered-object-store';

/** The archive tier the configuration names: an S3-compatible bucket when `archive.tier.s3` is set, else a folder. */
export function archiveTierStore(cfg: KryptonConfig): ObjectStore {
  const s3 = cfg.archive.tier.s3;
  if (s3) return new S3ObjectStore({ ...s3, cacheDir: join(cfg.storage.root, '.archive-cache') });
  return new FsObjectStore(cfg.archive.tier.root);
}

/** The primary store, seen through the archive tier when the archive lifecycle is enabled. */
export function objectStoreFor(cfg: KryptonConfig): ObjectStore {
  const primary = new FsObjectStore(cfg.storage.root);
  return cfg.archive.enabled ? new TieredObjectStore(primary, archiveTierStore(cfg), decompressArchived) : primary;
}

@Global()
@Module({
  providers: [{ provide: OBJECT_STORE, inject: [KRYPTON_CONFIG], useFactory: objectStoreFor }],
  exports: [OBJECT_STORE],
})
export class StorageModule {}
