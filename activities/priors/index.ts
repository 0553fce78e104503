export * from './priors.activities';
