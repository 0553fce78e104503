export * from './forward.activities';
export * from './routing.activities';
