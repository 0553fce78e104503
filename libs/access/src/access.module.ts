import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@krypton/audit';
import { AccessService } from './access.service';
import { ExamFactsStore } from './exam-facts.store';
import { AccessGrantStore } from './access-grant.store';
import { PatientOppositionStore } from './patient-opposition.store';
import { ACCESS_CLOCK, SYSTEM_CLOCK } from './clock';

/** The decision point for Nest apps. Needs the app's global ConfigModule and CatalogModule. */
@Global()
@Module({
  imports: [AuditModule],
  providers: [ExamFactsStore, AccessService, AccessGrantStore, PatientOppositionStore, { provide: ACCESS_CLOCK, useValue: SYSTEM_CLOCK }],
  exports: [AccessService, AccessGrantStore, PatientOppositionStore, ACCESS_CLOCK, AuditModule],
})
export class AccessModule {}
