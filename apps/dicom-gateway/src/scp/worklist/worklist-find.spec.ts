import { InvalidIdentifierError } from '../find/identifier';
import { hasUnsupportedKeys, parseWorklistIdentifier, worklistResponse } from './worklist-find';
import type { WorklistRow } from '@krypton/pathway';

const row: WorklistRow = {
  request_id: '6f1c2d4e-0000-4000-8000-000000000001',
  accession_number: 'KR00000001',
  study_instance_uid: '2.25.1234',
  requested_procedure_id: 'KR00000001',
  sps_id: 'KR00000001-1',
  site: 'chu-nord',
  ae_title: 'MODALITY1',
  modality: 'DX',
  sps_date: '20261201',
  sps_time: '093000',
  procedure_code: 'ZBQK002',
  procedure_label: 'Radiographie du thorax',
  patient: { ins: '279035121518989', identifiers: [{ value: 'IPP-1', issuer: '000000002' }], familyName: 'MARTIN', givenName: 'Hélène', birthDate: '19790312', sex: 'F' },
  priority: 'urgent',
  referrer: { name: 'Dr Jeanne MARTIN', rpps: '10000000000' },
  clinical_information: 'Toux fébrile depuis 5 jours',
  placer_order_number: 'CMD-1',
};

describe('Modality Worklist identifier', () => {
  it('turns top-level and Scheduled Procedure Step keys into conditions, ignoring universal values', () => {
    const q = parseWorklistIdentifier({
      _vrMap: {},
      SpecificCharacterSet: 'ISO_IR 192',
      PatientName: [{ Alphabetic: 'mart*' }],
      PatientID: '',
      AccessionNumber: 'KR00000001 ',
      ScheduledProcedureStepSequence: [{ _vrMap: {}, ScheduledStationAETitle: 'MODALITY1', ScheduledProcedureStepStartDate: '20261201-20261202 ', Modality: '*' }],
    });
    expect(q.conditions.map((c) => [c.path, c.value])).toEqual([
      ['PatientName', 'mart*'],
      ['AccessionNumber', 'KR00000001'],
      ['ScheduledProcedureStepSequence.ScheduledStationAETitle', 'MODALITY1'],
      ['ScheduledProcedureStepSequence.ScheduledProcedureStepStartDate', '20261201-20261202'],
    ]);
    expect(hasUnsupportedKeys(q)).toBe(false);
  });

  it('reports keys outside the model as unsupported and leaves them out of the response', () => {
    const q = parseWorklistIdentifier({ PatientName: '', PatientAddress: '', EthnicGroup: '', ScheduledProcedureStepSequence: [{ Modality: '', ScheduledStationGeographicLocationCodeSequence: [] }] });
    expect(q.unsupported).toEqual(['PatientAddress', 'EthnicGroup', 'ScheduledProcedureStepSequence.ScheduledStationGeographicLocationCodeSequence']);
    expect(hasUnsupportedKeys(q)).toBe(true);
    expect(worklistResponse(q, row)).toEqual({
      SpecificCharacterSet: 'ISO_IR 192',
      PatientName: [{ Alphabetic: 'MARTIN^Hélène' }],
      ScheduledProcedureStepSequence: [{ Modality: 'DX' }],
    });
  });

  it('reports a value on a key the hub only returns (not supported for matching), and answers its own value', () => {
    const q = parseWorklistIdentifier({ RequestedProcedurePriority: 'STAT', ScheduledProcedureStepSequence: [{ ScheduledProtocolCodeSequence: [{ CodeValue: 'X' }] }] });
    expect(q.unmatched).toEqual(['RequestedProcedurePriority', 'ScheduledProcedureStepSequence.ScheduledProtocolCodeSequence.CodeValue']);
    expect(q.conditions).toEqual([]);
    expect(worklistResponse(q, row)).toEqual({
      SpecificCharacterSet: 'ISO_IR 192',
      RequestedProcedurePriority: 'HIGH',
      ScheduledProcedureStepSequence: [{ ScheduledProtocolCodeSequence: [{ CodeValue: 'ZBQK002' }] }],
    });
  });

  it('answers every attribute of a sequence asked for with no item or an empty item (PS3.4 C.2.2.2.6)', () => {
    const q = parseWorklistIdentifier({ ScheduledProcedureStepSequence: [], RequestedProcedureCodeSequence: [{ _vrMap: {} }] });
    const r = worklistResponse(q, row);
    expect(r.RequestedProcedureCodeSequence).toEqual([{ CodeValue: 'ZBQK002', CodingSchemeDesignator: '99KRYPTON', CodingSchemeVersion: '', CodeMeaning: 'Radiographie du thorax' }]);
    expect(r.ScheduledProcedureStepSequence).toEqual([
      {
        ScheduledStationAETitle: 'MODALITY1',
        ScheduledStationName: '',
        ScheduledProcedureStepLocation: 'chu-nord',
        ScheduledProcedureStepStartDate: '20261201',
        ScheduledProcedureStepStartTime: '093000',
        Modality: 'DX',
        ScheduledPerformingPhysicianName: '',
        ScheduledProcedureStepDescription: 'Radiographie du thorax',
        ScheduledProtocolCodeSequence: [{ CodeValue: 'ZBQK002', CodingSchemeDesignator: '99KRYPTON', CodingSchemeVersion: '', CodeMeaning: 'Radiographie du thorax' }],
        ScheduledProcedureStepID: 'KR00000001-1',
        ScheduledProcedureStepStatus: 'SCHEDULED',
        PreMedication: '',
        RequestedContrastAgent: '',
        CommentsOnTheScheduledProcedureStep: '',
      },
    ]);
  });

  it('answers the IHE RAD-5 keys from the request', () => {
    const q = parseWorklistIdentifier({
      PatientID: '',
      IssuerOfPatientID: '',
      OtherPatientIDsSequence: [],
      PatientBirthDate: '',
      PatientSex: '',
      ReferringPhysicianName: '',
      RequestedProcedureID: '',
      RequestedProcedureDescription: '',
      StudyInstanceUID: '',
      ReasonForTheRequestedProcedure: '',
      PregnancyStatus: '',
      ReferencedStudySequence: [],
    });
    expect(worklistResponse(q, row)).toEqual({
      SpecificCharacterSet: 'ISO_IR 192',
      PatientID: '279035121518989',
      IssuerOfPatientID: '1.2.250.1.213.1.4.8',
      OtherPatientIDsSequence: [{ PatientID: 'IPP-1', IssuerOfPatientID: '000000002', TypeOfPatientID: 'TEXT' }],
      PatientBirthDate: '19790312',
      PatientSex: 'F',
      ReferringPhysicianName: [{ Alphabetic: 'Dr Jeanne MARTIN' }],
      RequestedProcedureID: 'KR00000001',
      RequestedProcedureDescription: 'Radiographie du thorax',
      StudyInstanceUID: '2.25.1234',
      ReasonForTheRequestedProcedure: 'Toux fébrile depuis 5 jours',
      // A binary VR with no value must be an empty array: dcmjs would write '' as 0.
      PregnancyStatus: [],
      ReferencedStudySequence: [],
    });
  });

  it('refuses a sequence key with several items', () => {
    expect(() => parseWorklistIdentifier({ ScheduledProcedureStepSequence: [{ Modality: 'CT' }, { Modality: 'MR' }] })).toThrow(InvalidIdentifierError);
  });
});
