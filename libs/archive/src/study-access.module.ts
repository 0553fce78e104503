import { Module } from '@nestjs/common';
import { StudyAccessRecorder } from './study-access.recorder';

/**
 * The archive's last-access stamps, for every process that reads studies (api, worker, DICOM
 * gateway) — apart from ArchiveModule, which the gateway does not need. Needs the global
 * CatalogModule and the app's data source.
 */
@Module({
  providers: [StudyAccessRecorder],
  exports: [StudyAccessRecorder],
})
export class StudyAccessModule {}
