import type { StoredAuditRecord } from './audit-record';

/** The INS-NIR identifier system (ANS), as the requests' FHIR door uses it. */
const INS_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
const DICOM_UID_SYSTEM = 'urn:dicom:uid';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';

/** BALP: reads and searches are "rest" events with a RESTful sub-type; C(reate), R(ead), U, D, E(xecute). */
function interaction(action: string): { subtype: string; code: 'C' | 'R' | 'U' | 'E' } {
  switch (action) {
    case 'search':
      return { subtype: 'search-type', code: 'E' };
    case 'write':
      return { subtype: 'update', code: 'U' };
    case 'send':
    case 'emergency-access':
      return { subtype: 'operation', code: 'E' };
    default:
      return { subtype: 'read', code: 'R' };
  }
}

function patientEntity(key: string) {
  const ins = /^\d{15}$/.test(key) || /^[12]\d{12}\d{2}$/.test(key);
  return {
    what: { identifier: ins ? { system: INS_SYSTEM, value: key } : { value: key } },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  };
}

/**
 * An audit record as a FHIR R4 AuditEvent in the shape of IHE Basic Audit Log Patterns (BALP):
 * type rest + RESTful sub-type, outcome 0 (success) or 4 (minor failure: refused), the user as
 * requestor agent with network address, the hub as source, the patient and the studies as
 * entities (Study Instance UID in the DICOM UID system, as IHE RAD does).
 */
export function toFhirAuditEvent(r: StoredAuditRecord, sourceId: string) {
  const { subtype, code } = interaction(r.action);
  return {
    resourceType: 'AuditEvent',
    id: String(r.seq),
    meta: { profile: ['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead'] },
    type: { system: DCM, code: r.door === 'DIMSE' ? '110112' : 'rest', display: r.door === 'DIMSE' ? 'Query' : 'RESTful Operation' },
    subtype: [
      { system: RESTFUL, code: subtype },
      { system: 'urn:krypton:action', code: r.action },
    ],
    action: code,
    recorded: r.at,
    outcome: r.outcome === 'allowed' ? '0' : '4',
    outcomeDesc: r.reason ?? undefined,
    agent: [
      {
        type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
        who: { identifier: { system: 'urn:krypton:user', value: r.userId ?? 'anonymous' } },
        role: r.roles.map((role) => ({ coding: [{ system: 'urn:krypton:role', code: role }] })),
        requestor: true,
        network: r.clientAddress ? { address: r.clientAddress, type: '2' } : undefined,
        extension: r.site ? [{ url: 'urn:krypton:site', valueString: r.site }] : undefined,
      },
    ],
    source: {
      observer: { display: sourceId },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [
      ...r.patients.map(patientEntity),
      ...r.studies.map((uid) => ({
        what: { identifier: { system: DICOM_UID_SYSTEM, value: `urn:oid:${uid}` } },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' },
      })),
      ...(r.detail
        ? [
            {
              type: { code: 'detail' },
              detail: [
                { type: 'door', valueString: r.door },
                { type: 'detail', valueString: JSON.stringify(r.detail) },
              ],
            },
          ]
        : [{ type: { code: 'detail' }, detail: [{ type: 'door', valueString: r.door }] }]),
    ],
  };
}
