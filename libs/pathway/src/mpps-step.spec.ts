import { applySet, checkCreate, fromDicomJson, localDateTime, mppsColumns, toDicomJson } from './mpps-step';
import { MppsClosedError, MppsInvalidValueError, MppsMissingAttributeError } from './mpps-errors';

const created = {
  PerformedProcedureStepStatus: 'IN PROGRESS',
  PerformedStationAETitle: 'MODALITY1 ',
  Modality: 'DX',
  PerformedProcedureStepID: 'PPS-1',
  PerformedProcedureStepStartDate: '20261201',
  PerformedProcedureStepStartTime: '093512.25',
  PerformedProcedureStepEndDate: '',
  PerformedProcedureStepEndTime: '',
  PatientName: [{ Alphabetic: 'MARTIN^Hélène' }],
  ScheduledStepAttributesSequence: [{ AccessionNumber: 'KR00000001', StudyInstanceUID: '2.25.1234', RequestedProcedureID: 'KR00000001', ScheduledProcedureStepID: 'KR00000001-1' }],
  PerformedSeriesSequence: [],
};

describe('MPPS', () => {
  it('accepts N-CREATE only IN PROGRESS (0x0120 when the status is absent, 0x0106 otherwise)', () => {
    expect(() => checkCreate(created, '1.2.3')).not.toThrow();
    expect(() => checkCreate({ ...created, PerformedProcedureStepStatus: undefined }, '1.2.3')).toThrow(MppsMissingAttributeError);
    expect(() => checkCreate({ ...created, PerformedProcedureStepStatus: 'COMPLETED' }, '1.2.3')).toThrow(expect.objectContaining({ status: 0x0106 }));
  });

  it('reads the columns the pathway matches on from the first scheduled step', () => {
    expect(mppsColumns(created)).toEqual({
      status: 'IN PROGRESS',
      performedStationAe: 'MODALITY1',
      modality: 'DX',
      accessionNumber: 'KR00000001',
      studyInstanceUid: '2.25.1234',
      requestedProcedureId: 'KR00000001',
      spsId: 'KR00000001-1',
      startedAt: '2026-12-01 09:35:12.25',
      endedAt: null,
    });
    expect(mppsColumns({ PerformedProcedureStepStatus: 'IN PROGRESS' })).toMatchObject({ accessionNumber: null, studyInstanceUid: null, startedAt: null });
  });

  it('turns DA and TM into a local timestamp, tolerating short and malformed times', () => {
    expect(localDateTime('20261201', '0935')).toBe('2026-12-01 09:35:00');
    expect(localDateTime('20261201', '09:35:10')).toBe('2026-12-01 09:35:10');
    expect(localDateTime('20261201', 'soon')).toBe('2026-12-01 00:00:00');
    expect(localDateTime('20261301', '0935')).toBeNull();
    expect(localDateTime('', '0935')).toBeNull();
  });

  it('merges an N-SET into the stored step, keeping what N-SET may not change', () => {
    const { merged, ignored } = applySet(
      created,
      {
        _vrMap: {},
        PerformedProcedureStepStatus: 'COMPLETED',
        PerformedProcedureStepEndDate: '20261201',
        PerformedProcedureStepEndTime: '094000',
        PerformedSeriesSequence: [{ SeriesInstanceUID: '2.25.99' }],
        ScheduledStepAttributesSequence: [{ AccessionNumber: 'OTHER' }],
      },
      '1.2.3',
    );
    expect(ignored).toEqual(['ScheduledStepAttributesSequence']);
    expect(mppsColumns(merged)).toMatchObject({ status: 'COMPLETED', accessionNumber: 'KR00000001', endedAt: '2026-12-01 09:40:00' });
    expect(merged.PerformedSeriesSequence).toEqual([{ SeriesInstanceUID: '2.25.99' }]);
  });

  it('refuses N-SET of a closed step (0x0110) and an unknown status (0x0106)', () => {
    expect(() => applySet({ ...created, PerformedProcedureStepStatus: 'COMPLETED' }, { PerformedProcedureStepStatus: 'IN PROGRESS' }, '1.2.3')).toThrow(MppsClosedError);
    expect(() => applySet(created, { PerformedProcedureStepStatus: 'DONE' }, '1.2.3')).toThrow(MppsInvalidValueError);
    expect(() => applySet(created, { PerformedProcedureStepStatus: '' }, '1.2.3')).toThrow(MppsInvalidValueError);
    // An intermediate N-SET without a status keeps the step IN PROGRESS.
    expect(mppsColumns(applySet(created, { PerformedProcedureStepDescription: 'x' }, '1.2.3').merged).status).toBe('IN PROGRESS');
  });

  it('stores DICOM JSON that reads back to the same data set, without attributes dcmjs cannot name', () => {
    const { json, dropped } = toDicomJson({ ...created, '00091010': 'private', ScheduledStepAttributesSequence: [{ ...created.ScheduledStepAttributesSequence[0], '00111001': 'x' }] });
    expect([...dropped].sort()).toEqual(['00091010', 'ScheduledStepAttributesSequence.00111001']);
    expect(json['00400252']).toEqual({ vr: 'CS', Value: ['IN PROGRESS'] });
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'MARTIN^Hélène' }] });
    const back = fromDicomJson(json);
    expect(back.ScheduledStepAttributesSequence).toEqual([expect.objectContaining({ AccessionNumber: 'KR00000001', StudyInstanceUID: '2.25.1234' })]);
    expect(mppsColumns(back)).toEqual(mppsColumns(created));
  });
});
