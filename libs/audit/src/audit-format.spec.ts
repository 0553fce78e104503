import { canonicalAuditRow } from './audit-verify';
import { dicomAuditMessage, syslogLine } from './syslog-exporter';
import { toFhirAuditEvent } from './fhir-audit-event';
import type { AuditRecord } from './audit-record';

const rec: AuditRecord = {
  userId: 'demo-radiologist',
  roles: ['radiologist'],
  site: 'chu-nord',
  action: 'read-metadata',
  outcome: 'denied',
  door: 'DICOMweb',
  resourceType: 'study',
  patients: ['180017512345678'],
  studies: ['1.2.3'],
  reason: "study outside the caller's exams",
  clientAddress: '10.0.0.1',
};

describe('audit formats', () => {
  it('the canonical row is a JSON array whose strings escape as PostgreSQL to_json does', () => {
    const row = {
      seq: '7',
      at: '2026-12-04T10:00:00.000001Z',
      user_id: 'a"b\n',
      roles: ['x'],
      site: null,
      action: 'search',
      outcome: 'allowed',
      door: 'REST',
      resource_type: 'study',
      resource_id: null,
      patients: [],
      studies: [],
      reason: null,
      client_address: null,
      detail: '{"k": 1}',
    };
    expect(canonicalAuditRow(row)).toBe('[7,"2026-12-04T10:00:00.000001Z","a\\"b\\n",["x"],null,"search","allowed","REST","study",null,[],[],null,null,"{\\"k\\": 1}"]');
  });

  it('syslog lines are RFC 5424 with the ATNA MSGID and a DICOM audit message; a refusal is a warning', () => {
    const line = syslogLine(rec, 'krypton', new Date('2026-12-04T10:00:00Z'), 'hub1');
    expect(line).toMatch(/^<84>1 2026-12-04T10:00:00.000Z hub1 krypton \d+ IHE\+RFC-3881 - <\?xml/);
    const xml = dicomAuditMessage(rec, 'krypton', new Date('2026-12-04T10:00:00Z'));
    expect(xml).toContain('EventOutcomeIndicator="4"');
    expect(xml).toContain('ParticipantObjectID="180017512345678" ParticipantObjectTypeCode="1"');
    expect(xml).toContain('ParticipantObjectID="1.2.3" ParticipantObjectTypeCode="2"');
    expect(dicomAuditMessage({ ...rec, userId: '<x&"y>' }, 'k', new Date())).toContain('UserID="&lt;x&amp;&quot;y&gt;"');
  });

  it('FHIR AuditEvent: BALP shape with the patient by INS and the study by DICOM UID', () => {
    const ev = toFhirAuditEvent(
      { ...rec, seq: 3, at: '2026-12-04T10:00:00.000Z', resourceId: null, patients: ['180017512345678'], studies: ['1.2.3'], reason: 'x', clientAddress: '10.0.0.1', detail: null, hash: 'h' },
      'krypton',
    );
    expect(ev).toMatchObject({ resourceType: 'AuditEvent', action: 'R', outcome: '4', recorded: '2026-12-04T10:00:00.000Z' });
    expect(ev.agent[0]).toMatchObject({ requestor: true, network: { address: '10.0.0.1', type: '2' } });
    expect(ev.entity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '180017512345678' } } }),
        expect.objectContaining({ what: { identifier: { system: 'urn:dicom:uid', value: 'urn:oid:1.2.3' } } }),
      ]),
    );
  });
});
