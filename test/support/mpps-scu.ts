import * as dimse from 'dcmjs-dimse';

const { Client, Dataset } = dimse;
const { NCreateRequest, NSetRequest } = dimse.requests;
dimse.log.setLevel('silent');

export const MPPS_CLASS = '1.2.840.10008.3.1.2.3.3';

type Natural = Record<string, any>;

/**
 * A modality's MPPS side from dcmjs-dimse's client (an SCU independent of the hub's SCP code): one
 * association per request, resolved with the response (status, attributes).
 */
export function sendDimse(port: number, req: any, callingAe = 'MODALITY1'): Promise<any> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let response: any;
    req.on('response', (r: any) => (response = r));
    client.on('associationRejected', () => reject(new Error('association rejected')));
    client.on('networkError', (e: Error) => reject(e));
    client.on('closed', () => (response ? resolve(response) : reject(new Error('association closed without a response'))));
    client.addRequest(req);
    client.send('127.0.0.1', port, callingAe, 'KRYPTON');
  });
}

export function mppsCreate(port: number, uid: string, attributes: Natural, callingAe?: string) {
  const req = new NCreateRequest(MPPS_CLASS, uid);
  req.setDataset(new Dataset(attributes));
  return sendDimse(port, req, callingAe);
}

export function mppsSet(port: number, uid: string, attributes: Natural, callingAe?: string) {
  const req = new NSetRequest(MPPS_CLASS, uid);
  req.setDataset(new Dataset(attributes));
  return sendDimse(port, req, callingAe);
}

/** The N-CREATE attributes of a modality starting a scheduled step (IHE RAD-6). */
export function mppsInProgress(s: { accessionNumber: string; studyInstanceUid: string }, patient: { name: string; id: string }, modality = 'DX'): Natural {
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    PerformedProcedureStepStatus: 'IN PROGRESS',
    PerformedProcedureStepID: 'PPS-1',
    PerformedStationAETitle: 'MODALITY1',
    PerformedProcedureStepStartDate: '20261201',
    PerformedProcedureStepStartTime: '093512',
    PerformedProcedureStepEndDate: '',
    PerformedProcedureStepEndTime: '',
    Modality: modality,
    PatientName: [{ Alphabetic: patient.name }],
    PatientID: patient.id,
    ScheduledStepAttributesSequence: [
      { AccessionNumber: s.accessionNumber, StudyInstanceUID: s.studyInstanceUid, RequestedProcedureID: s.accessionNumber, ScheduledProcedureStepID: `${s.accessionNumber}-1` },
    ],
    PerformedSeriesSequence: [],
  };
}

export const mppsCompleted = (): Natural => ({
  PerformedProcedureStepStatus: 'COMPLETED',
  PerformedProcedureStepEndDate: '20261201',
  PerformedProcedureStepEndTime: '094012',
});
