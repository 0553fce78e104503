import { AccessModule } from '@krypton/access';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { StudyAccessModule } from '@krypton/archive';
import { DatabaseModule } from '@krypton/database';
import { StorageModule } from '@krypton/storage';
import { QueueModule } from '@krypton/queue';
import { IngestModule } from '@krypton/ingest';
import { ModalityStepsModule } from '@krypton/pathway';
import { RoutingModule } from '@krypton/routing';
import { loggingModule } from '@krypton/logging';
import { DimseServerService } from './dimse-server.service';

@Module({
  imports: [ConfigModule, loggingModule('dicom-gateway'), DatabaseModule, CatalogModule, AccessModule, StorageModule, QueueModule, IngestModule, ModalityStepsModule, RoutingModule, StudyAccessModule],
  providers: [DimseServerService],
})
export class GatewayModule {}
