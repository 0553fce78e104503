export * from './protocol.schema';
export * from './protocol-errors';
export * from './protocol-validator';
export * from './protocol-matcher';
export * from './study-facts';
