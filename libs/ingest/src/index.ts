export * from './ingest-errors';
export * from './ingest.service';
export * from './ingest.module';
