import { FhirInputError } from './operation-outcome';
import { fhirPathOf, mapServiceRequest } from './service-request.mapper';

const ctx = { client: 'dpi-clinique', sites: [{ id: 'chu-nord', finess: '000000001' }] };

function serviceRequest(patch: Record<string, unknown> = {}) {
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    contained: [
      {
        resourceType: 'Patient',
        id: 'p1',
        identifier: [
          { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '279035121518989' },
          { system: 'urn:oid:1.2.250.1000.1', value: 'IPP-42' },
        ],
        name: [{ use: 'official', family: 'DUPONT', given: ['Marie', 'Claire'] }],
        birthDate: '1979-03-12',
        gender: 'female',
      },
      { resourceType: 'Practitioner', id: 'dr', identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '10000000000' }], name: [{ prefix: ['Dr'], given: ['Jeanne'], family: 'MARTIN' }] },
    ],
    identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PLAC' }] }, system: 'urn:oid:1.2.250.1000.9', value: 'CMD-1' }],
    code: { coding: [{ system: 'https://smt.esante.gouv.fr/terminologie-ccam', code: 'ACQK001', display: 'Scanographie du crâne' }] },
    priority: 'stat',
    subject: { reference: '#p1' },
    requester: { reference: '#dr' },
    reasonCode: [{ text: 'Céphalées brutales' }],
    note: [{ text: 'Patient sous anticoagulants' }],
    performer: [{ identifier: { value: '000000001' } }],
    ...patch,
  };
}

function pathOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FhirInputError) return e.path;
    throw e;
  }
  throw new Error('expected a FhirInputError');
}

describe('mapServiceRequest', () => {
  it('maps a ServiceRequest with contained Patient and Practitioner', () => {
    expect(mapServiceRequest(serviceRequest(), ctx)).toEqual({
      source: 'fhir',
      placerOrderNumber: 'CMD-1',
      placerSystem: 'urn:oid:1.2.250.1000.9',
      patient: { ins: '279035121518989', identifiers: [{ value: 'IPP-42', issuer: '1.2.250.1000.1' }], familyName: 'DUPONT', givenName: 'Marie Claire', birthDate: '19790312', sex: 'F' },
      referrer: { rpps: '10000000000', name: 'Dr Jeanne MARTIN' },
      procedureCode: 'ACQK001',
      procedureText: 'Scanographie du crâne',
      priority: 'emergency',
      clinicalInformation: 'Céphalées brutales\nPatient sous anticoagulants',
      targetSite: 'chu-nord',
    });
  });

  it('takes a logical subject (INS identifier and display) and defaults to routine, any site, the client as placer system', () => {
    const r = mapServiceRequest(
      serviceRequest({
        subject: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '279035121518989' }, display: 'DUPONT' },
        priority: undefined,
        performer: undefined,
        identifier: [{ value: 'CMD-2' }],
        requester: { display: 'Dr House' },
      }),
      ctx,
    );
    expect(r).toMatchObject({
      patient: { ins: '279035121518989', identifiers: [], familyName: 'DUPONT' },
      priority: 'routine',
      targetSite: null,
      placerSystem: 'dpi-clinique',
      placerOrderNumber: 'CMD-2',
      referrer: { name: 'Dr House' },
    });
  });

  it.each([
    [{ resourceType: 'Patient' }, 'resourceType'],
    [{ status: 'draft' }, 'ServiceRequest.status'],
    [{ code: undefined }, 'ServiceRequest.code'],
    [{ code: { text: 'thorax' } }, 'ServiceRequest.code.coding'],
    [{ priority: 'whenever' }, 'ServiceRequest.priority'],
    [{ subject: undefined }, 'ServiceRequest.subject'],
    [{ subject: { reference: 'Patient/123' } }, 'ServiceRequest.subject.reference'],
    [{ requester: {} }, 'ServiceRequest.requester.display'],
    [{ performer: [{ identifier: { value: 'nowhere' } }] }, 'ServiceRequest.performer[0].identifier.value'],
  ])('names the FHIR path of %j', (patch, path) => {
    expect(pathOf(() => mapServiceRequest(serviceRequest(patch), ctx))).toBe(path);
  });

  it('names the contained Patient element at fault', () => {
    const bad = serviceRequest();
    (bad.contained[0] as Record<string, unknown>).birthDate = '12/03/1979';
    expect(pathOf(() => mapServiceRequest(bad, ctx))).toBe('Patient.birthDate');
    (bad.contained[0] as Record<string, unknown>).identifier = [{ value: 'IPP-1' }];
    expect(pathOf(() => mapServiceRequest(bad, ctx))).toBe('Patient.identifier[0].system');
  });
});

describe('fhirPathOf', () => {
  it('maps request fields back to ServiceRequest elements', () => {
    expect(fhirPathOf('patient.ins')).toBe('ServiceRequest.subject.identifier');
    expect(fhirPathOf('targetSite')).toBe('ServiceRequest.performer');
  });
});
