import { Module } from '@nestjs/common';
import { ArchiveService } from './archive.service';
import { StudyAccessModule } from './study-access.module';

/** Needs the app's global ConfigModule, CatalogModule (data source) and StorageModule. */
@Module({
  imports: [StudyAccessModule],
  providers: [ArchiveService],
  exports: [ArchiveService, StudyAccessModule],
})
export class ArchiveModule {}
