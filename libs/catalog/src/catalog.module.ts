import { Global, Module } from '@nestjs/common';
import { CatalogService } from './catalog.service';
import { ForwardJobService } from './forward-job.service';
import { IngestBacklogStore } from './ingest-backlog.store';
import { InstanceMetadataStore } from './instance-metadata.store';

/** The catalogue's services; the data source comes from DatabaseModule (@krypton/database), which the app imports. */
@Global()
@Module({
  providers: [CatalogService, ForwardJobService, IngestBacklogStore, InstanceMetadataStore],
  exports: [CatalogService, ForwardJobService, IngestBacklogStore, InstanceMetadataStore],
})
export class CatalogModule {}
