export * from './temporal-connection';
export * from './temporal.module';
