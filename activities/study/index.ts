export * from './catalog.activities';
