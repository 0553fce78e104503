import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapAdtMessage } from './adt-mapper';
import { Hl7Error } from './hl7-error';
import { parseHl7 } from './hl7-parser';
import { mapOrderMessage, NewOrderCommand } from './order-mapper';

const fixture = (name: string) => parseHl7(readFileSync(join(__dirname, '../../../test/fixtures/hl7', name)));
const msg = (...segs: string[]) => parseHl7(Buffer.from(['MSH|^~\\&|DPI|CHU|KRYPTON|REGION|20260101||ORM^O01|C1|P|2.5', ...segs].join('\r')));
const PID = 'PID|1||42^^^CHU||NOM^Prenom||20000101|M';
/** A segment from its fields by sequence number, so that tests do not count pipes. */
const seg = (name: string, fields: Record<number, string>) => {
  const n = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: n }, (_, i) => fields[i + 1] ?? '')].join('|');
};
const OBR = (extra: Record<number, string> = {}) => seg('OBR', { 1: '1', 2: '1', 4: 'C', 16: 'R^Doc', ...extra });

function fails(fn: () => unknown): Hl7Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Hl7Error);
    return e;
  }
  throw new Error('expected an Hl7Error');
}

describe('mapOrderMessage', () => {
  it('makes one request per ORC/OBR group of an ORM^O01', () => {
    const cmds = mapOrderMessage(fixture('orm-o01-two-exams.hl7')) as NewOrderCommand[];
    expect(cmds.map((c) => c.kind)).toEqual(['new', 'new']);
    const [a, b] = cmds.map((c) => c.request);
    expect(a).toMatchObject({
      source: 'hl7',
      placerOrderNumber: 'CMD-1001',
      placerSystem: 'DPI@CHU-NORD',
      procedureCode: 'ZBQK002',
      procedureText: 'Radiographie du thorax',
      priority: 'routine',
      clinicalInformation: 'Toux persistante',
      targetSite: null,
      referrer: { rpps: '10003456789', name: 'Paul LEGRAND', organisation: 'CHU Nord' },
    });
    expect(a.patient).toEqual({
      ins: '279035121518989',
      identifiers: [{ value: '12345', issuer: 'CHU-NORD' }],
      familyName: 'DUPONT',
      givenName: 'Hélène',
      birthDate: '19790312',
      sex: 'F',
    });
    // ORC-7.6 = S on the second order.
    expect(b).toMatchObject({ placerOrderNumber: 'CMD-1002', procedureCode: 'ACQK001', priority: 'emergency' });
  });

  it('maps an OMI^O23 with TQ1 priority, an unknown procedure code and a local identifier', () => {
    const [cmd] = mapOrderMessage(fixture('omi-o23-tq1.hl7')) as NewOrderCommand[];
    expect(cmd.request).toMatchObject({
      placerOrderNumber: 'RX-77',
      placerSystem: 'RIS@CLINIQUE-SUD',
      procedureCode: 'XYZ999',
      // TQ1-9 wins over OBR-27.
      priority: 'urgent',
      clinicalInformation: "Bilan d'extension",
      patient: { identifiers: [{ value: '998877', issuer: 'CLINIQUE-SUD' }], familyName: 'MOREAU', sex: 'M' },
      // No OBR-16: ORC-12 names the referrer.
      referrer: { rpps: '10009999999', name: 'Anne BERNARD', organisation: 'Clinique du Sud' },
    });
  });

  it('recognises an INS by its OID even without the INS type code', () => {
    const [ok] = mapOrderMessage(msg('PID|1||123456789012345^^^X&1.2.250.1.213.1.4.10&ISO||N', 'ORC|NW|1', OBR())) as NewOrderCommand[];
    expect(ok.request.patient).toMatchObject({ ins: '123456789012345', identifiers: [] });
  });

  it('refuses a malformed INS with 102 on PID-3', () => {
    expect(fails(() => mapOrderMessage(msg('PID|1||12AB^^^^INS||N', 'ORC|NW|1', OBR())))).toMatchObject({ code: 102, location: { segment: 'PID', field: 3 } });
  });

  it('turns ORC-1 = CA into a cancel, without needing a PID', () => {
    expect(mapOrderMessage(msg('ORC|CA|CMD-1001^DPI'))).toEqual([{ kind: 'cancel', group: 1, placerSystem: 'DPI@CHU', placerOrderNumber: 'CMD-1001', reason: undefined }]);
  });

  it('turns ORC-1 = XO into a change of only what the message states (no priority is not a downgrade)', () => {
    expect(mapOrderMessage(msg(seg('ORC', { 1: 'XO', 2: 'CMD-1001', 7: '^^^^^S' }), OBR({ 2: 'CMD-1001', 4: 'ACQK001^Scanner', 13: 'Aggravation' })))).toEqual([
      { kind: 'change', group: 1, placerSystem: 'DPI@CHU', placerOrderNumber: 'CMD-1001', priority: 'emergency', procedureCode: 'ACQK001', clinicalInformation: 'Aggravation' },
    ]);
    expect(mapOrderMessage(msg('ORC|XO|CMD-1001', OBR({ 2: 'CMD-1001', 4: 'ACQK001' })))).toEqual([
      { kind: 'change', group: 1, placerSystem: 'DPI@CHU', placerOrderNumber: 'CMD-1001', procedureCode: 'ACQK001' },
    ]);
    expect(fails(() => mapOrderMessage(msg('ORC|XO|CMD-1001')))).toMatchObject({ code: 101, location: { segment: 'OBR' } });
  });

  it('names what is missing', () => {
    expect(fails(() => mapOrderMessage(msg('ORC|NW|1', 'OBR|1|1||C')))).toMatchObject({ code: 101, location: { segment: 'PID' } });
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|NW|1')))).toMatchObject({ code: 101, location: { segment: 'OBR' } });
    expect(fails(() => mapOrderMessage(msg(PID)))).toMatchObject({ code: 101, location: { segment: 'ORC' } });
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|NW', 'OBR|1||||')))).toMatchObject({ code: 101, location: { segment: 'ORC', field: 2 } });
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|NW|1', 'OBR|1|1||')))).toMatchObject({ code: 101, location: { segment: 'OBR', field: 4 } });
    expect(fails(() => mapOrderMessage(msg('PID|1||||', 'ORC|NW|1', 'OBR|1|1||C')))).toMatchObject({ code: 101, location: { segment: 'PID', field: 3 } });
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|NW|1', OBR({ 16: '' }))))).toMatchObject({ code: 101, location: { segment: 'OBR', field: 16 } });
  });

  it('refuses OBR before ORC (100), an unknown order control or priority (103)', () => {
    expect(fails(() => mapOrderMessage(msg(PID, 'OBR|1|1||C', 'ORC|NW|1')))).toMatchObject({ code: 100, location: { segment: 'OBR' } });
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|ZZ|1', 'OBR|1|1||C')))).toMatchObject({ code: 103, location: { segment: 'ORC', field: 1 } });
    expect(fails(() => mapOrderMessage(msg(PID, seg('ORC', { 1: 'NW', 2: '1', 7: '^^^^^Q' }), OBR())))).toMatchObject({ code: 103, location: { segment: 'ORC', field: 7 } });
  });

  it('validates every group before returning any, so a bad second group fails the message', () => {
    expect(fails(() => mapOrderMessage(msg(PID, 'ORC|NW|1', OBR(), 'ORC|NW|2', OBR({ 2: '2', 4: '' }))))).toMatchObject({ location: { segment: 'OBR', field: 4, segmentSequence: 2 } });
  });
});

describe('mapAdtMessage', () => {
  it('reads an A40 merge: surviving PID, prior MRG-1', () => {
    expect(mapAdtMessage(fixture('adt-a40-merge.hl7'))).toEqual({
      kind: 'patient-merge',
      merges: [
        {
          surviving: expect.objectContaining({ identifiers: [{ value: '12345', issuer: 'CHU-NORD' }], familyName: 'DUPONT' }),
          prior: { ins: undefined, identifiers: [{ value: '54321', issuer: 'CHU-NORD' }] },
        },
      ],
    });
  });

  it('reads an A08 update and requires its PID', () => {
    const a08 = (...s: string[]) => parseHl7(Buffer.from(['MSH|^~\\&|DPI|CHU|K|R|2026||ADT^A08|X|P|2.5', ...s].join('\r')));
    expect(mapAdtMessage(a08('EVN|A08', PID))).toMatchObject({ kind: 'patient-update', patient: { familyName: 'NOM', givenName: 'Prenom' } });
    expect(fails(() => mapAdtMessage(a08('EVN|A08')))).toMatchObject({ code: 101, location: { segment: 'PID' } });
  });
});
