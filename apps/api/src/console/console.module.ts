import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConsoleCsrfMiddleware } from './console-csrf.middleware';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleHomeController } from './console-home.controller';
import { ConsolePages } from './console-pages.service';
import { ConsoleViews } from './console-views.service';
import { PatientConsoleController } from './patient/patient-console.controller';
import { RequestsModule } from '@krypton/pathway';
import { DoseApiModule } from '../dose/dose-api.module';
import { HealthModule } from '../health/health.module';
import { ResearchApiModule } from '../research/research-api.module';
import { RoutingApiModule } from '../routing/routing-api.module';
import { RadiologistConsoleController } from './radiologist/radiologist-console.controller';
import { PhysicistConsoleController } from './physicist/physicist-console.controller';
import { AdminConsoleController } from './admin/admin-console.controller';
import { ResearcherConsoleController } from './researcher/researcher-console.controller';
import { ReportsModule } from '@krypton/reports';
import { SharingModule } from '@krypton/sharing';
import { ReferrerConsoleController } from './referrer/referrer-console.controller';
import { CoordinatorConsoleController } from './coordinator/coordinator-console.controller';
import { OperationsConsoleController } from './coordinator/operations-console.controller';
import { RequestChanges } from './live/request-changes.service';

/**
 * The web console at /console (issue #14): server-rendered Handlebars pages over the same
 * services as the REST API, behind the same guards; docs/console/README.md says how to add a screen.
 */
@Module({
  imports: [RequestsModule, ReportsModule, DoseApiModule, HealthModule, ResearchApiModule, RoutingApiModule, SharingModule],
  controllers: [
    ConsoleHomeController,
    ReferrerConsoleController,
    CoordinatorConsoleController,
    OperationsConsoleController,
    PatientConsoleController,
    RadiologistConsoleController,
    PhysicistConsoleController,
    AdminConsoleController,
    ResearcherConsoleController,
  ],
  providers: [ConsoleViews, ConsolePages, ConsoleExceptionFilter, RequestChanges],
  exports: [ConsoleViews, ConsolePages, ConsoleExceptionFilter],
})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleCsrfMiddleware).forRoutes({ path: 'console', method: RequestMethod.ALL }, { path: 'console/*path', method: RequestMethod.ALL });
  }
}
