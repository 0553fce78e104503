import { Module } from '@nestjs/common';
import { ArchiveService } from './archive.service';

/** Needs the app's global ConfigModule, CatalogModule (data source) and StorageModule. */
@Module({
  providers: [ArchiveService],
  exports: [ArchiveService],
})
export class ArchiveModule {}
