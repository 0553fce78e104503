import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Needs the app's global ConfigModule and CatalogModule (the TypeORM data source). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
