/**
 * The one patient-matching rule of the hub (issue #15): every door that selects by patient —
 * C-FIND, C-MOVE, C-GET, QIDO-RS, the dose history, ADT, priors, cohorts, routing rules — reads
 * the patient with patientSelector / patientSelectorFromDicom / parsePatientKey, matches it with
 * patientSqlCondition (SQL) or matchesPatient (memory), and, where it acts on one patient,
 * decides with decidePatient before it does anything. Pure: no I/O, no Nest.
 */
export * from './patient-selector';
export * from './patient-key';
export * from './patient-sql';
export * from './patient-decision';
