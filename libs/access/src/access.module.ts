import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@krypton/audit';
import { AccessService } from './access.service';
import { ExamFactsStore } from './exam-facts.store';

/** The decision point for Nest apps. Needs the app's global ConfigModule and CatalogModule. */
@Global()
@Module({ imports: [AuditModule], providers: [ExamFactsStore, AccessService], exports: [AccessService, AuditModule] })
export class AccessModule {}
