import { ArchiveModule } from '@krypton/archive';
import { ArchiveController } from './archive/archive.controller';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { DatabaseModule } from '@krypton/database';
import { StorageModule } from '@krypton/storage';
import { QueueModule } from '@krypton/queue';
import { TemporalModule } from '@krypton/temporal';
import { AuthModule } from '@krypton/auth';
import { AuthGuard } from '@krypton/auth';
import { AccessGuard, AccessModule, AuditUnavailableFilter } from '@krypton/access';
import { IngestModule } from '@krypton/ingest';
import { loggingModule } from '@krypton/logging';
import { HealthModule } from './health/health.module';
import { ForwardingController } from './forwarding/forwarding.controller';
import { ViewerController } from './viewer/viewer.controller';
import { LoginController } from './auth/login.controller';
import { LoginClient } from './auth/login-client.service';
import { DicomwebModule } from './dicomweb/dicomweb.module';
import { DoseApiModule } from './dose/dose-api.module';
import { RequestsApiModule } from './requests/requests-api.module';
import { ResearchApiModule } from './research/research-api.module';
import { RoutingApiModule } from './routing/routing-api.module';
import { ConsoleModule } from './console/console.module';
import { SharingApiModule } from './sharing/sharing-api.module';

import { EmergencyAccessController } from './access/emergency-access.controller';
import { AuditController } from './access/audit.controller';

@Module({
  imports: [
    ConfigModule,
    AuthModule,
    loggingModule('api'),
    DatabaseModule,
    CatalogModule,
    AccessModule,
    StorageModule,
    QueueModule,
    TemporalModule,
    IngestModule,
    DicomwebModule,
    DoseApiModule,
    RequestsApiModule,
    ResearchApiModule,
    RoutingApiModule,
    SharingApiModule,
    ArchiveModule,
    HealthModule,
    ConsoleModule,
  ],
  controllers: [ForwardingController, ViewerController, ArchiveController, LoginController, EmergencyAccessController, AuditController],
  // Once each, in this order: who is calling (authentication), then the role-level access decision.
  providers: [LoginClient, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_FILTER, useClass: AuditUnavailableFilter }],
})
export class AppModule {}
