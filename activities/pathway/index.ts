export * from './pathway.activities';
export * from './report-signer';
export * from './result-sender';
