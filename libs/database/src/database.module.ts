import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { dataSourceOptions } from './data-source';

/**
 * The one TypeORM data source of a process (global). Apps import it beside the modules of the libs
 * they use; those libs inject the data source and never open one themselves.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [KRYPTON_CONFIG],
      useFactory: (cfg: KryptonConfig) => dataSourceOptions(cfg.database.url),
    }),
  ],
})
export class DatabaseModule {}
