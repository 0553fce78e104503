export * from './catalog.activities';
export * from './forward.activities';
export * from './dose.activities';
export * from './pathway.activities';
