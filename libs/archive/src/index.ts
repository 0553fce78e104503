export * from './archive-plan';
export * from './archive-errors';
export * from './archive-events';
export * from './archive.service';
export * from './archive.module';
