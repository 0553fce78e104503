export * from './archive.activities';
