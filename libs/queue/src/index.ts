export * from './queue.constants';
export * from './redis-connection';
export * from './queue.module';
export * from './heartbeat';
export * from './retry-policy';
