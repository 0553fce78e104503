import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { RequestsModule } from '@krypton/pathway';
import { TemporalModule } from '@krypton/temporal';
import { AttachedStudyPriors } from './attached-study-priors';
import { RoutingModule } from './routing.module';

/** Where coordinators tie studies to exams (the api): carries out the fetchPriors routing decided before (AttachedStudyPriors). */
@Module({
  imports: [ConfigModule, TemporalModule, RoutingModule, RequestsModule],
  providers: [AttachedStudyPriors],
})
export class AttachedStudyPriorsModule {}
