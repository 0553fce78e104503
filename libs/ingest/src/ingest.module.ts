import { Module } from '@nestjs/common';
import { IngestService } from './ingest.service';

/** Needs ConfigModule, StorageModule and QueueModule (all global) in the importing app. */
@Module({ providers: [IngestService], exports: [IngestService] })
export class IngestModule {}
