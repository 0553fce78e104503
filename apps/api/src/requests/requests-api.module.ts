import { SharingModule } from '@krypton/sharing';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { json } from 'express';
import { RequestsModule } from '@krypton/pathway';
import { ReportsModule } from '@krypton/reports';
import { ReportController } from './report.controller';
import { AcquisitionController } from '../acquisition/acquisition.controller';
import { ReadingController } from '../reading/reading.controller';
import { FhirServiceRequestController } from './fhir/fhir-service-request.controller';
import { PathwaysController } from './pathways.controller';
import { RequestsController } from './requests.controller';

/** Exam requests (REST and FHIR doors), scheduling, the coordinator's lists, acquisition matching, remote reading. */
@Module({
  imports: [RequestsModule, ReportsModule, SharingModule],
  controllers: [RequestsController, PathwaysController, FhirServiceRequestController, ReadingController, AcquisitionController, ReportController],
})
export class RequestsApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The global parser reads application/json only; FHIR clients send application/fhir+json.
    consumer.apply(json({ type: ['application/fhir+json', 'application/json+fhir'], limit: '1mb' })).forRoutes('fhir');
  }
}
