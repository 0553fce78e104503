import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { dataSourceOptions } from './data-source';
import { CatalogService } from './catalog.service';
import { ForwardJobService } from './forward-job.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [KRYPTON_CONFIG],
      useFactory: (cfg: KryptonConfig) => dataSourceOptions(cfg.database.url),
    }),
  ],
  providers: [CatalogService, ForwardJobService],
  exports: [CatalogService, ForwardJobService],
})
export class CatalogModule {}
