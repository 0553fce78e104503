import { ArchiveModule } from '@krypton/archive';
import { ArchiveController } from './archive/archive.controller';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { DatabaseModule } from '@krypton/database';
import { StorageModule } from '@krypton/storage';
import { QueueModule } from '@krypton/queue';
import { TemporalModule } from '@krypton/temporal';
import { AuthModule } from '@krypton/auth';
import { IngestModule } from '@krypton/ingest';
import { loggingModule } from '@krypton/logging';
import { HealthController } from './health/health.controller';
import { IngestBacklogReader } from './health/ingest-backlog.reader';
import { MetricsController } from './health/metrics.controller';
import { ForwardingController } from './forwarding/forwarding.controller';
import { ViewerController } from './viewer/viewer.controller';
import { LoginController } from './auth/login.controller';
import { LoginClient } from './auth/login-client.service';
import { DicomwebModule } from './dicomweb/dicomweb.module';
import { DoseApiModule } from './dose/dose-api.module';
import { RequestsApiModule } from './requests/requests-api.module';
import { ResearchApiModule } from './research/research-api.module';
import { RoutingApiModule } from './routing/routing-api.module';

@Module({
  imports: [ConfigModule, AuthModule, loggingModule('api'), DatabaseModule, CatalogModule, StorageModule, QueueModule, TemporalModule, IngestModule, DicomwebModule, DoseApiModule, RequestsApiModule, ResearchApiModule, RoutingApiModule, ArchiveModule],
  controllers: [HealthController, MetricsController, ForwardingController, ViewerController, ArchiveController, LoginController],
  providers: [LoginClient, IngestBacklogReader],
})
export class AppModule {}
