export * from './research.activities';
