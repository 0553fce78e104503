import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { DatabaseModule } from '@krypton/database';
import { StorageModule } from '@krypton/storage';
import { QueueModule } from '@krypton/queue';
import { TemporalModule } from '@krypton/temporal';
import { loggingModule } from '@krypton/logging';
import { IndexProcessor } from './ingest/index.processor';
import { StageRedriveService } from './ingest/stage-redrive.service';
import { TemporalWorkerService } from './temporal/temporal-worker.service';
import { DoseRegistryModule } from '@krypton/dose-registry';
import { ResearchModule } from '@krypton/research';
import { DoseProcessor } from './dose/dose.processor';
import { RequestsModule } from '@krypton/pathway';
import { ReportsModule } from '@krypton/reports';
import { AcquisitionProcessor } from './pathway/acquisition.processor';
import { RoutingModule } from '@krypton/routing';
import { ArchiveModule } from '@krypton/archive';
import { ArchiveSweeper } from './archive/archive-sweeper';
import { SharingMailModule, SharingService } from '@krypton/sharing';
import { ShareNotifyProcessor } from './sharing/share-notify.processor';
import { AccessModule } from '@krypton/access';

@Module({
  imports: [
    ConfigModule,
    loggingModule('worker'),
    DatabaseModule,
    CatalogModule,
    StorageModule,
    QueueModule,
    TemporalModule,
    DoseRegistryModule,
    RequestsModule,
    ReportsModule,
    ResearchModule,
    RoutingModule,
    ArchiveModule,
    SharingMailModule,
    // The decision point and its audit: protocol shares and the opposition (issue #11) are decided here too.
    AccessModule,
  ],
  providers: [IndexProcessor, StageRedriveService, TemporalWorkerService, DoseProcessor, AcquisitionProcessor, ArchiveSweeper, ShareNotifyProcessor, SharingService],
})
export class WorkerModule {}
