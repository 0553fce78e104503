import { Global, Module } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { OBJECT_STORE } from './object-store';
import { FsObjectStore } from './fs-object-store';

@Global()
@Module({
  providers: [{ provide: OBJECT_STORE, inject: [KRYPTON_CONFIG], useFactory: (cfg: KryptonConfig) => new FsObjectStore(cfg.storage.root) }],
  exports: [OBJECT_STORE],
})
export class StorageModule {}
