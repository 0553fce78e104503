import { Module } from '@nestjs/common';
import { PatientIdentityService } from './patient-identity.service';

/** PatientIdentityService for the doors that receive ADT (hl7-gateway); needs the process's DatabaseModule. */
@Module({
  providers: [PatientIdentityService],
  exports: [PatientIdentityService],
})
export class PatientIdentityModule {}
