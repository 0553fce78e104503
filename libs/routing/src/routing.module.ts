import { Module } from '@nestjs/common';
import { ConfigModule } from '@krypton/config';
import { CatalogModule } from '@krypton/catalog';
import { ProtocolStore } from './protocol.store';
import { RoutingDecisionStore } from './routing-decision.store';
import { StorageCommitmentStore } from './storage-commitment.store';
import { StudyFactsReader } from './study-facts.reader';

/** Protocol versions, routing decisions, the study facts rules read and storage commitments (PostgreSQL). */
@Module({
  imports: [ConfigModule, CatalogModule],
  providers: [ProtocolStore, RoutingDecisionStore, StudyFactsReader, StorageCommitmentStore],
  exports: [ProtocolStore, RoutingDecisionStore, StudyFactsReader, StorageCommitmentStore],
})
export class RoutingModule {}
