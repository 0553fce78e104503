import { AuditModule } from '@krypton/audit';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { DatabaseModule } from '@krypton/database';
import { loggingModule } from '@krypton/logging';
import { RequestsModule } from '@krypton/pathway';
import { PatientIdentityModule, PatientIdentityService } from '@krypton/patient-identity';
import { ackRendererProvider } from './ack-template.provider';
import { PATIENT_SINK } from './adt/patient-sink';
import { MessageHandler } from './message-handler.service';
import { MllpServerService } from './mllp/mllp-server.service';
import { ORDER_SINK } from './orders/order-sink';
import { RequestOrderSink } from './orders/request-order-sink';
import { Hl7MessageStore } from '@krypton/hl7';

@Module({
  imports: [ConfigModule, loggingModule('hl7-gateway'), DatabaseModule, CatalogModule, AuditModule, RequestsModule, PatientIdentityModule],
  providers: [
    ackRendererProvider,
    Hl7MessageStore,
    { provide: ORDER_SINK, useClass: RequestOrderSink },
    { provide: PATIENT_SINK, useExisting: PatientIdentityService },
    MessageHandler,
    MllpServerService,
  ],
})
export class Hl7GatewayModule {}
