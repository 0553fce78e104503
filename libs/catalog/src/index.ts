export * from './entities';
export * from './catalog.service';
export * from './forward-job.service';
export * from './catalog.module';
export * from './query/attributes';
export * from './query/dicom-match';
export * from './query/catalog-query';
export * from './study-access.recorder';
