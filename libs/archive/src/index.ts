export * from './archive-plan';
export * from './archive-errors';
export * from './archive-events';
export * from './archived-objects';
export * from './archive.service';
export * from './archive.module';
export * from './study-access.recorder';
export * from './study-access.module';
