export * from './object-store';
export * from './storage-errors';
export * from './fs-object-store';
export * from './fs-object-writer';
export * from './instance-key';
export * from './storage.module';
export * from './s3-object-store';
export * from './tiered-object-store';
