export * from './catalog.activities';
export * from './forward.activities';
