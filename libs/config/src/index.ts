export * from './config.schema';
export * from './config.loader';
export * from './config-error';
export * from './config.module';
export * from './password-hash';
export * from './demo-secrets';
