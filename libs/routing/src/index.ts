export * from './protocol.store';
export * from './protocol-references';
export * from './protocol-simulator';
export * from './routing-decision.store';
export * from './routing-errors';
export * from './routing.module';
export * from './study-facts.reader';
export * from './storage-commitment.store';
