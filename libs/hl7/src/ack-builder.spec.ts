import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileAckTemplate, ackCodeFor } from './ack-builder';
import { Hl7Error } from './hl7-error';
import { parseHl7 } from './hl7-parser';

const render = compileAckTemplate(readFileSync(join(__dirname, '../../../config/hl7/ack.hbs'), 'utf8'));
const original = parseHl7(Buffer.from('MSH|^~\\&|DPI|CHU-NORD|KRYPTON|REGION|20260101||ORM^O01^ORM_O01|MSG-7|P|2.5|||||FRA|8859/1\rPID|1')).header;
const base = { original, controlId: 'K42', now: new Date('2026-01-15T08:30:00Z'), self: { application: 'KRYPTON', facility: 'REGION' }, encoding: 'iso-8859-1' as const };

describe('ACK rendering (config/hl7/ack.hbs)', () => {
  it('answers AA with swapped applications, MSA-2 = MSH-10 and no ERR', () => {
    const ack = parseHl7(render({ ...base, code: 'AA' }));
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
    expect(ack.header).toMatchObject({
      sendingApplication: 'KRYPTON',
      sendingFacility: 'REGION',
      receivingApplication: 'DPI',
      receivingFacility: 'CHU-NORD',
      messageCode: 'ACK',
      triggerEvent: 'O01',
      controlId: 'K42',
      version: '2.5',
      characterSet: '8859/1',
      dateTime: '20260115083000+0000',
    });
    expect(ack.first('MSA')!.value(1)).toBe('AA');
    expect(ack.first('MSA')!.value(2)).toBe('MSG-7');
  });

  it('answers AA with one ERR of severity W per warning (an accepted order with recent equivalent exams)', () => {
    const ack = parseHl7(render({ ...base, code: 'AA', warnings: ['recent equivalent exam: CT HEAD on 2026-01-05', 'second|one'] }));
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA', 'ERR', 'ERR']);
    expect(ack.first('MSA')!.value(1)).toBe('AA');
    const errs = ack.segments.filter((s) => s.name === 'ERR');
    expect(errs.map((e) => [e.value(3), e.value(4), e.value(8)])).toEqual([
      ['0', 'W', 'recent equivalent exam: CT HEAD on 2026-01-05'],
      ['0', 'W', 'second|one'],
    ]);
  });

  it('answers AE with an ERR naming the code, the location and the problem, escaped', () => {
    const error = new Hl7Error(101, 'PID-5 (patient name) is required | really', { segment: 'PID', segmentSequence: 1, field: 5 });
    const bytes = render({ ...base, code: ackCodeFor(error), error });
    const ack = parseHl7(bytes);
    expect(ack.first('MSA')!.value(1)).toBe('AE');
    expect(ack.first('MSA')!.value(3)).toBe('PID-5 (patient name) is required | really');
    const err = ack.first('ERR')!;
    expect([err.value(2, 1), err.value(2, 2), err.value(2, 3)]).toEqual(['PID', '1', '5']);
    expect([err.value(3, 1), err.value(3, 2), err.value(3, 3)]).toEqual(['101', 'Required field missing', 'HL70357']);
    expect(err.value(4)).toBe('E');
    expect(err.value(8)).toContain('PID-5');
    expect(bytes.toString('latin1')).toContain('\\F\\');
    expect(bytes.toString('latin1').split('\r').filter(Boolean)).toHaveLength(3);
  });

  it('answers AR for a rejection and still addresses a message whose header was unreadable', () => {
    const error = new Hl7Error(200, 'message type "XYZ" is not supported', { segment: 'MSH', field: 9 }, true);
    expect(ackCodeFor(error)).toBe('AR');
    const ack = parseHl7(render({ ...base, original: {}, encoding: 'utf-8', code: 'AR', error }));
    expect(ack.header).toMatchObject({ sendingApplication: 'KRYPTON', messageCode: 'ACK', triggerEvent: '', controlId: 'K42' });
    expect(ack.first('MSA')!.value(2)).toBe('');
    expect(ack.first('ERR')!.value(3)).toBe('200');
  });
});
