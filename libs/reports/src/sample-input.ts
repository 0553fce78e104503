import type { SignReportInput } from './sign-report-input';

/**
 * A complete signing input and a minimal one (every optional field absent). The start-up dry run
 * renders the template with both, so a template that only breaks when a field is missing (or
 * present) fails before the first real signature; tests start from them too.
 */
export const SAMPLE_SIGN_INPUT: SignReportInput = {
  requestId: '00000000-0000-4000-8000-000000000000',
  idemKey: 'sample',
  radiologist: { name: 'Dr Paul DURAND', id: '10000000001' },
  signedAt: '2026-03-14T15:09:26+01:00',
  findings: 'Pas d’opacité parenchymateuse.\nCul-de-sac pleuraux libres.',
  conclusion: 'Radiographie thoracique normale.',
  technique: 'Incidence de face, debout.',
  clinicalInformation: 'Toux fébrile depuis 5 jours.',
  exam: {
    accessionNumber: 'KR00000001',
    studyInstanceUid: '2.25.1',
    procedureCode: 'ZBQK002',
    procedureLabel: 'Radiographie du thorax',
    examDate: '20260314',
    site: { name: 'CHU Nord', finess: '000000001' },
  },
  patient: {
    ins: '279035121518989',
    identifiers: [{ value: 'IPP-1', issuer: '000000002' }],
    familyName: 'ÉLÉONORE',
    givenName: 'Hélène Éléonore',
    birthDate: '19790312',
    sex: 'F',
  },
  referrer: { rpps: '10000000000', name: 'Dr Jeanne MARTIN', organisation: 'Clinique du Sud' },
};

export const MINIMAL_SIGN_INPUT: SignReportInput = {
  requestId: SAMPLE_SIGN_INPUT.requestId,
  idemKey: 'sample-minimal',
  radiologist: { name: 'Dr Paul DURAND' },
  signedAt: '2026-03-14T14:09:26Z',
  findings: 'RAS.',
  conclusion: 'Normal.',
  exam: { accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1', procedureCode: 'X', procedureLabel: 'X', site: { name: 'Site' } },
  patient: { identifiers: [], familyName: 'X' },
  referrer: { name: 'Dr X' },
};
