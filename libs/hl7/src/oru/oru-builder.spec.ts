import { join } from 'node:path';
import { parseHl7 } from '../hl7-parser';
import { ORU_OBSERVATIONS, buildOruR01, loadOruTemplate, placerSystemParts } from './oru-builder';
import { OruInput, OruInputError } from './oru-input';

const template = loadOruTemplate(join(__dirname, '../../../../config/hl7'));
const NASTY = 'Pipe | caret ^ amp & tilde ~ backslash \\ and \\F\\ literally\ttab';

const ORU_INPUT: OruInput = {
  messageControlId: 'KR-ORU-000042-1',
  sendingApplication: 'KRYPTON',
  sendingFacility: 'REGION',
  receivingApplication: 'DPI',
  receivingFacility: 'CHU-NORD',
  patient: {
    ins: '279035121518989',
    identifiers: [
      { value: '12345', issuer: 'CHU-NORD' },
      { value: '777', issuer: '1.2.250.1.999.1' },
    ],
    familyName: 'DUPONT',
    givenName: 'Hélène',
    birthDate: '19790312',
    sex: 'F',
  },
  placerOrderNumber: 'CMD-1001',
  fillerOrderNumber: 'KR00ABCD12',
  procedure: { code: 'ZBQK002', label: 'Radiographie du thorax', codingSystem: 'CCAM' },
  referrer: { rpps: '10003456789', name: 'Paul LEGRAND', organisation: 'CHU Nord' },
  observationDateTime: '2026-01-15T09:30:00Z',
  report: {
    status: 'F',
    findings: `Poumons clairs.\r\n\r\n${NASTY}\nCul-de-sac libres.   \n\n`,
    conclusion: '\nPas d’anomalie.',
    radiologist: { name: 'Anne MARTIN', rpps: '10001234567' },
    signedAt: new Date('2026-01-15T10:05:00Z'),
  },
  studyInstanceUid: '2.25.123456789',
};

const build = (input: Partial<OruInput> = {}) => parseHl7(Buffer.from(buildOruR01({ ...ORU_INPUT, ...input }, { template, now: new Date('2026-01-15T10:06:00Z') })));

describe('buildOruR01 (config/hl7/oru.hbs)', () => {
  it('addresses the placer system and declares UTF-8 by default', () => {
    const m = build();
    expect(m.type).toBe('ORU^R01');
    expect(m.header).toMatchObject({
      sendingApplication: 'KRYPTON',
      sendingFacility: 'REGION',
      receivingApplication: 'DPI',
      receivingFacility: 'CHU-NORD',
      controlId: 'KR-ORU-000042-1',
      messageStructure: 'ORU_R01',
      version: '2.5',
      characterSet: 'UNICODE UTF-8',
      dateTime: '20260115100600+0000',
    });
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'ORC', 'OBR', ...Array(6).fill('OBX')]);
  });

  it('writes the patient with local identifiers, the INS and the legal name', () => {
    const pid = build().first('PID')!;
    expect(pid.repetitions(3).map((r) => [r.get(1), r.get(4, 1), r.get(4, 2), r.get(5)])).toEqual([
      ['12345', 'CHU-NORD', '', 'PI'],
      ['777', '', '1.2.250.1.999.1', 'PI'],
      ['279035121518989', 'ASIP-SANTE-INS-NIR', '1.2.250.1.213.1.4.8', 'INS'],
    ]);
    expect([pid.value(5, 1), pid.value(5, 2), pid.value(5, 7), pid.value(7), pid.value(8)]).toEqual(['DUPONT', 'Hélène', 'L', '19790312', 'F']);
  });

  it('carries placer and filler (accession) numbers, procedure, referrer, times, status and the radiologist', () => {
    const m = build();
    const orc = m.first('ORC')!;
    const obr = m.first('OBR')!;
    expect([orc.value(1), orc.value(2), orc.value(3), orc.value(5)]).toEqual(['RE', 'CMD-1001', 'KR00ABCD12', 'CM']);
    expect([obr.value(2), obr.value(2, 2), obr.value(3), obr.value(3, 2)]).toEqual(['CMD-1001', 'DPI', 'KR00ABCD12', 'KRYPTON']);
    expect([obr.value(4, 1), obr.value(4, 2), obr.value(4, 3)]).toEqual(['ZBQK002', 'Radiographie du thorax', 'CCAM']);
    expect([obr.value(7), obr.value(22), obr.value(24), obr.value(25)]).toEqual(['20260115093000+0000', '20260115100500+0000', 'RAD', 'F']);
    expect([obr.value(16, 1), obr.value(16, 2), obr.value(16, 13)]).toEqual(['10003456789', 'Paul LEGRAND', 'RPPS']);
    expect([obr.value(32, 1, 1), obr.value(32, 1, 2)]).toEqual(['10001234567', 'Anne MARTIN']);
  });

  it('sends the Study Instance UID, then the report one OBX per line with every character round-tripped', () => {
    const obx = build().all('OBX');
    expect(obx.map((o) => o.value(1))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect([obx[0].value(2), obx[0].value(3, 1), obx[0].value(3, 3), obx[0].value(5)]).toEqual(['HD', '110180', 'DCM', '2.25.123456789']);
    const lines = (code: string) => obx.filter((o) => o.value(3, 1) === code.split('^')[0]).map((o) => o.value(5));
    expect(lines(ORU_OBSERVATIONS.findings)).toEqual(['Poumons clairs.', '', NASTY, 'Cul-de-sac libres.']);
    expect(lines(ORU_OBSERVATIONS.conclusion)).toEqual(['Pas d’anomalie.']);
    expect(obx.slice(1).map((o) => [o.value(2), o.value(4), o.value(11), o.value(14), o.value(16, 2)])).toContainEqual(['TX', '2', 'F', '20260115100500+0000', 'Anne MARTIN']);
  });

  it('escapes separators instead of letting them split the message', () => {
    const text = buildOruR01(ORU_INPUT, { template });
    expect(text).toContain('Pipe \\F\\ caret \\S\\ amp \\T\\ tilde \\R\\ backslash \\E\\ and \\E\\F\\E\\ literally\\X09\\tab');
    expect(text.endsWith('\r')).toBe(true);
    expect(text.split('\r').filter(Boolean)).toHaveLength(10);
  });

  it('leaves out what the request does not have and declares 8859/1 when asked', () => {
    const m = parseHl7(
      Buffer.from(
        buildOruR01(
          {
            ...ORU_INPUT,
            placerOrderNumber: undefined,
            studyInstanceUid: null,
            patient: { identifiers: [{ value: '1', issuer: 'X' }], familyName: 'SOLO' },
            report: { ...ORU_INPUT.report, conclusion: '' },
          },
          { template, characterSet: '8859/1' },
        ),
        'latin1',
      ),
    );
    expect(m.header.characterSet).toBe('8859/1');
    expect(m.first('ORC')!.value(2)).toBe('');
    expect(m.all('OBX').map((o) => o.value(3, 1))).toEqual(['18782-3', '18782-3', '18782-3', '18782-3']);
    expect(m.first('PID')!.repetitions(3)).toHaveLength(1);
  });

  it('refuses an input that cannot make a valid message, naming the field', () => {
    const fails = (input: Partial<OruInput>) => {
      try {
        buildOruR01({ ...ORU_INPUT, ...input }, { template });
      } catch (e) {
        expect(e).toBeInstanceOf(OruInputError);
        return (e as OruInputError).field;
      }
      throw new Error('expected an OruInputError');
    };
    expect(fails({ messageControlId: 'X'.repeat(21) })).toBe('messageControlId');
    expect(fails({ fillerOrderNumber: ' ' })).toBe('fillerOrderNumber');
    expect(fails({ observationDateTime: 'yesterday' })).toBe('observationDateTime');
    expect(fails({ report: { ...ORU_INPUT.report, findings: '\n', conclusion: '' } })).toBe('report.findings');
    expect(fails({ patient: { identifiers: [], familyName: 'X' } })).toBe('patient.identifiers');
  });
});

describe('placerSystemParts', () => {
  it('splits what placerSystemOf joined', () => {
    expect(placerSystemParts('DPI@CHU-NORD')).toEqual({ application: 'DPI', facility: 'CHU-NORD' });
    expect(placerSystemParts('RIS')).toEqual({ application: 'RIS', facility: '' });
    expect(placerSystemParts(null)).toEqual({ application: '', facility: '' });
  });
});
