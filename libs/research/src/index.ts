export * from './cohort-criteria';
export * from './research-project.store';
export * from './research-audit';
export * from './research-extractor';
export * from './research.module';
export * from './research-extractor.factory';
