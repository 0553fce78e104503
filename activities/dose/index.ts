export * from './dose.activities';
