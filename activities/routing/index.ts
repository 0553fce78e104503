export * from './forward.activities';
