/** @krypton/patient-identity — ADT demographics update and merge across the modules that keep a patient; owns no table. */
export * from './adt-result';
export * from './patient-identity.rules';
export * from './patient-identity.service';
export * from './patient-identity.module';
