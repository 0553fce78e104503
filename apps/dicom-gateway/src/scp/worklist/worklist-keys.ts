import type { WorklistMatch, WorklistRow } from '@krypton/pathway';
import { dicomPriority, fit, freeTextName, patientIdentity, patientName, procedureCode } from './worklist-row';

export interface ValueKey<S> {
  readonly type: 'value';
  readonly vr: string;
  readonly get: (src: S) => string;
  readonly match?: WorklistMatch;
}

export interface SequenceKey<S> {
  readonly type: 'sequence';
  readonly items: (src: S) => readonly unknown[];
  readonly keys: KeySet<any>;
  /** Keys inside the item are matching keys (the Scheduled Procedure Step); elsewhere they are return keys only. */
  readonly matchable: boolean;
}

export type KeySpec<S> = ValueKey<S> | SequenceKey<S>;
export type KeySet<S> = Readonly<Record<string, KeySpec<S>>>;

const value = <S>(vr: string, get: (src: S) => string, match?: WorklistMatch): ValueKey<S> => ({ type: 'value', vr, get, match });
/** A type 2 key the hub has no data for: supported, always answered zero-length (PS3.4 C.2.2.1.2). */
const empty = <S>(vr: string): ValueKey<S> => value<S>(vr, () => '');
const sequence = <S, I>(items: (src: S) => readonly I[], keys: KeySet<I>, matchable = false): SequenceKey<S> => ({ type: 'sequence', items, keys, matchable });

type Code = Record<string, string>;

const CODE_KEYS: KeySet<Code> = {
  CodeValue: value('SH', (c) => c.CodeValue),
  CodingSchemeDesignator: value('SH', (c) => c.CodingSchemeDesignator),
  CodingSchemeVersion: empty('SH'),
  CodeMeaning: value('LO', (c) => c.CodeMeaning),
};

const REFERENCE_KEYS: KeySet<unknown> = {
  ReferencedSOPClassUID: empty('UI'),
  ReferencedSOPInstanceUID: empty('UI'),
};

/** The family^given form as SQL, so that matching sees exactly what the response shows. */
const PATIENT_NAME_SQL = `(w.patient->>'familyName' || coalesce('^' || nullif(w.patient->>'givenName', ''), ''))`;

/**
 * Every identifier of the patient (INS and local ones) is a Patient ID a modality may query by.
 * `x.v` is the value the condition is written against.
 */
const ANY_PATIENT_ID = (condition: string) =>
  `EXISTS (SELECT 1 FROM (SELECT w.patient->>'ins' AS v UNION ALL SELECT i->>'value' FROM jsonb_array_elements(coalesce(w.patient->'identifiers', '[]'::jsonb)) i) x WHERE ${condition})`;

const label = (r: WorklistRow) => fit(r.procedure_label ?? r.procedure_code, 64);

/** Scheduled Procedure Step (PS3.4 Table K.6-1): one per worklist item for now. */
export const SPS_KEYS: KeySet<WorklistRow> = {
  ScheduledStationAETitle: value('AE', (r) => r.ae_title, { by: 'sql', kind: 'string', sql: 'w.ae_title' }),
  ScheduledStationName: empty('SH'),
  ScheduledProcedureStepLocation: value('SH', (r) => fit(r.site, 16)),
  ScheduledProcedureStepStartDate: value('DA', (r) => r.sps_date, { by: 'sps-date' }),
  ScheduledProcedureStepStartTime: value('TM', (r) => r.sps_time, { by: 'sps-time' }),
  Modality: value('CS', (r) => r.modality ?? '', { by: 'sql', kind: 'string', sql: 'w.modality' }),
  ScheduledPerformingPhysicianName: empty('PN'),
  ScheduledProcedureStepDescription: value('LO', label),
  ScheduledProtocolCodeSequence: sequence((r: WorklistRow) => [procedureCode(r)], CODE_KEYS),
  ScheduledProcedureStepID: value('SH', (r) => r.sps_id, { by: 'sql', kind: 'string', sql: 'w.sps_id' }),
  // A worklist item exists only while its step is scheduled: cancel deletes it.
  ScheduledProcedureStepStatus: value('CS', () => 'SCHEDULED', { by: 'sql', kind: 'string', sql: "'SCHEDULED'" }),
  PreMedication: empty('LO'),
  RequestedContrastAgent: empty('LO'),
  CommentsOnTheScheduledProcedureStep: empty('LT'),
};

/**
 * The Modality Worklist keys the hub answers: the IHE RAD-5 return keys with what a request knows,
 * and the other Table K.6-1 type 2 keys zero-length (the hub has no weight, allergies or visit).
 * A key outside this list is an unsupported optional key: left out of the responses, and
 * reported by the pending status 0xFF01. Matching is supported on the keys that have `match`;
 * a value on another key is ignored and also reported by 0xFF01.
 */
export const WORKLIST_KEYS: KeySet<WorklistRow> = {
  // Patient identification and demographics.
  PatientName: value('PN', (r) => patientName(r.patient), { by: 'sql', kind: 'person', sql: PATIENT_NAME_SQL }),
  PatientID: value('LO', (r) => patientIdentity(r.patient).patientId, { by: 'sql', kind: 'string', sql: 'x.v', wrap: ANY_PATIENT_ID }),
  IssuerOfPatientID: value('LO', (r) => patientIdentity(r.patient).issuer),
  IssuerOfPatientIDQualifiersSequence: sequence(
    (r: WorklistRow) => {
      const q = patientIdentity(r.patient).qualifiers;
      return q ? [q] : [];
    },
    { UniversalEntityID: value('UT', (q: Code) => q.UniversalEntityID), UniversalEntityIDType: value('CS', (q: Code) => q.UniversalEntityIDType) },
  ),
  OtherPatientIDsSequence: sequence((r: WorklistRow) => patientIdentity(r.patient).others, {
    PatientID: value('LO', (o: Code) => o.PatientID),
    IssuerOfPatientID: value('LO', (o: Code) => o.IssuerOfPatientID),
    TypeOfPatientID: value('CS', () => 'TEXT'),
  }),
  PatientBirthDate: value('DA', (r) => r.patient.birthDate ?? '', { by: 'sql', kind: 'date', sql: "(w.patient->>'birthDate')" }),
  PatientSex: value('CS', (r) => r.patient.sex ?? '', { by: 'sql', kind: 'string', sql: "(w.patient->>'sex')" }),
  ReferencedPatientSequence: sequence(() => [], REFERENCE_KEYS),
  PatientWeight: empty('DS'),
  PatientSize: empty('DS'),
  ConfidentialityConstraintOnPatientDataDescription: empty('LO'),
  PatientState: empty('LO'),
  PregnancyStatus: empty('US'),
  MedicalAlerts: empty('LO'),
  Allergies: empty('LO'),
  SpecialNeeds: empty('LO'),
  // Visit.
  AdmissionID: empty('LO'),
  CurrentPatientLocation: empty('LO'),
  // Imaging service request.
  AccessionNumber: value('SH', (r) => r.accession_number, { by: 'sql', kind: 'string', sql: 'w.accession_number' }),
  ReferringPhysicianName: value('PN', (r) => freeTextName(r.referrer?.name)),
  RequestingPhysician: value('PN', (r) => freeTextName(r.referrer?.name)),
  RequestingService: empty('LO'),
  PlacerOrderNumberImagingServiceRequest: value('LO', (r) => fit(r.placer_order_number, 64)),
  // The hub fills the order: its request id is the filler order number.
  FillerOrderNumberImagingServiceRequest: value('LO', (r) => r.request_id),
  // Requested procedure.
  RequestedProcedureID: value('SH', (r) => r.requested_procedure_id, { by: 'sql', kind: 'string', sql: 'w.requested_procedure_id' }),
  RequestedProcedureDescription: value('LO', label),
  RequestedProcedureCodeSequence: sequence((r: WorklistRow) => [procedureCode(r)], CODE_KEYS),
  StudyInstanceUID: value('UI', (r) => r.study_instance_uid, { by: 'sql', kind: 'uid', sql: 'w.study_instance_uid' }),
  ReferencedStudySequence: sequence(() => [], REFERENCE_KEYS),
  RequestedProcedurePriority: value('SH', (r) => dicomPriority(r.priority)),
  PatientTransportArrangements: empty('LO'),
  // LO holds 64 characters: the whole clinical information goes in the comments (LT) as well.
  ReasonForTheRequestedProcedure: value('LO', (r) => fit(r.clinical_information, 64)),
  RequestedProcedureComments: value('LT', (r) => r.clinical_information ?? ''),
  // Scheduled procedure step.
  ScheduledProcedureStepSequence: sequence((r: WorklistRow) => [r], SPS_KEYS, true),
};
