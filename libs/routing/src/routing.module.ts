import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { ProtocolStore } from './protocol.store';
import { RoutingDecisionStore } from './routing-decision.store';
import { StudyFactsReader } from './study-facts.reader';

/** Protocol versions, routing decisions and the study facts rules read (PostgreSQL). */
@Module({
  imports: [ConfigModule, CatalogModule],
  providers: [ProtocolStore, RoutingDecisionStore, StudyFactsReader],
  exports: [ProtocolStore, RoutingDecisionStore, StudyFactsReader],
})
export class RoutingModule {}
