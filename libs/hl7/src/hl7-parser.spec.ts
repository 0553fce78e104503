import { Hl7Error } from './hl7-error';
import { parseHl7, peekHeader } from './hl7-parser';
import { escapeValue } from './escape';
import { STANDARD_SEPARATORS } from './separators';

const msh = (extra = '', sep = '|^~\\&') =>
  `MSH${sep}|LABO|CHU-NORD|KRYPTON|REGION|20260101120000||ORM^O01^ORM_O01|MSG0001|P|2.5${extra}`.replace(/\|/g, sep[0]).replace('^O01^', `${sep[1]}O01${sep[1]}`);
const lines = (...segs: string[]) => segs.join('\r');

describe('parseHl7', () => {
  it('reads MSH with the standard numbering (MSH-10 is the control id)', () => {
    const m = parseHl7(Buffer.from(lines(msh(), 'PID|1||123^^^CHU')));
    expect(m.header).toMatchObject({
      sendingApplication: 'LABO',
      sendingFacility: 'CHU-NORD',
      messageCode: 'ORM',
      triggerEvent: 'O01',
      messageStructure: 'ORM_O01',
      controlId: 'MSG0001',
      version: '2.5',
    });
    expect(m.type).toBe('ORM^O01');
    expect(m.first('MSH')!.value(2)).toBe('^~\\&');
    expect(m.first('PID')!.value(3, 4)).toBe('CHU');
  });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits segments on %s and ignores blank lines', (_n, eol) => {
    const m = parseHl7(Buffer.from(`\r\n${msh()}${eol}PID|1||123${eol}${eol}OBR|1${eol}`));
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'OBR']);
  });

  it('resolves escape sequences after splitting, so escaped separators do not split', () => {
    const m = parseHl7(Buffer.from(lines(msh(), 'NTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X41\\\\.br\\line\\H\\bold\\N\\^second')));
    const nte = m.first('NTE')!;
    expect(nte.value(3)).toBe('a|b^c&d~e\\fA\nlinebold');
    expect(nte.value(3, 2)).toBe('second');
  });

  it('keeps an unknown or unterminated escape literally', () => {
    const m = parseHl7(Buffer.from(lines(msh(), 'NTE|1||50\\Q\\ and \\ alone')));
    expect(m.first('NTE')!.value(3)).toBe('50\\Q\\ and \\ alone');
  });

  it('uses the separators MSH-1/MSH-2 declare', () => {
    const m = parseHl7(Buffer.from(lines(msh('', '#@!$%'), 'PID#1##ID1@@@AUTH%1.2.3!ID2@@@X')));
    expect(
      m
        .first('PID')!
        .repetitions(3)
        .map((r) => [r.get(1), r.get(4, 1), r.get(4, 2)]),
    ).toEqual([
      ['ID1', 'AUTH', '1.2.3'],
      ['ID2', 'X', ''],
    ]);
  });

  it("builds on @medplum/core's model, with a short MSH-2 taking the standard subcomponent separator", () => {
    const m = parseHl7(Buffer.from(lines('MSH|^~\\|LABO|CHU|K|R|2026||ADT^A08|S1|P|2.1', 'PID|1||7^^^CHU&1.2.3')));
    expect(m.source.toString().split('\r')).toHaveLength(2);
    expect(m.separators.subcomponentSeparator).toBe('&');
    expect(m.first('MSH')!.value(2)).toBe('^~\\&');
    expect([m.first('PID')!.value(3, 4, 1), m.first('PID')!.value(3, 4, 2)]).toEqual(['CHU', '1.2.3']);
  });

  it('decodes ISO 8859-1 bytes when MSH-18 says 8859/1', () => {
    const text = lines(msh('||||||8859/1'), 'PID|1||123^^^CHU||Lefèvre^Zoé');
    const m = parseHl7(Buffer.from(text, 'latin1'));
    expect(m.charset.encoding).toBe('iso-8859-1');
    expect(m.first('PID')!.value(5, 1)).toBe('Lefèvre');
    expect(m.first('PID')!.value(5, 2)).toBe('Zoé');
  });

  it('decodes \\Xhh\\ in the declared character set', () => {
    const m = parseHl7(Buffer.from(lines(msh('||||||8859/1'), 'PID|1||1||L\\XE9\\a'), 'latin1'));
    expect(m.first('PID')!.value(5)).toBe('Léa');
  });

  it('decodes UTF-8 when MSH-18 says UNICODE UTF-8, and refuses bytes that are not', () => {
    const ok = parseHl7(Buffer.from(lines(msh('||||||UNICODE UTF-8'), 'PID|1||1||Çağlar'), 'utf8'));
    expect(ok.first('PID')!.value(5)).toBe('Çağlar');
    const bad = Buffer.from(lines(msh('||||||UNICODE UTF-8'), 'PID|1||1||Lefèvre'), 'latin1');
    expect(() => parseHl7(bad)).toThrow(expect.objectContaining({ code: 102, location: expect.objectContaining({ segment: 'MSH', field: 18 }) }));
  });

  it('falls back to ISO 8859-1 when no charset is declared and the bytes are not UTF-8', () => {
    const m = parseHl7(Buffer.from(lines(msh(), 'PID|1||1||Lefèvre'), 'latin1'));
    expect(m.first('PID')!.value(5)).toBe('Lefèvre');
  });

  it('refuses an unknown MSH-18 with 103, as a rejection', () => {
    const e = catchError(() => parseHl7(Buffer.from(lines(msh('||||||KLINGON'), 'PID|1'))));
    expect(e).toMatchObject({ code: 103, rejects: true, location: { segment: 'MSH', field: 18 } });
  });

  it('keeps repetitions, Z-segments and fields longer than the standard lengths', () => {
    const long = 'X'.repeat(5000);
    const m = parseHl7(Buffer.from(lines(msh(), `PID|1||${long}^^^A~2^^^B`, 'ZDS|1.2.3^KRYPTON^Application^DICOM', 'ZZ1|free')));
    expect(
      m
        .first('PID')!
        .repetitions(3)
        .map((r) => r.get(1)),
    ).toEqual([long, '2']);
    expect(m.first('ZDS')!.value(1, 3)).toBe('Application');
    expect(m.all('ZZ1')).toHaveLength(1);
  });

  it('numbers segments of the same name for error locations', () => {
    const m = parseHl7(Buffer.from(lines(msh(), 'ORC|NW|1', 'OBR|1', 'ORC|NW|2', 'OBR|2')));
    expect(m.all('OBR').map((s) => s.sequence)).toEqual([1, 2]);
  });

  it('requires MSH first, MSH-9 and MSH-10, and rejects the message when they are missing', () => {
    expect(catchError(() => parseHl7(Buffer.from('PID|1\rMSH|^~\\&|A')))).toMatchObject({ code: 100, rejects: true });
    expect(catchError(() => parseHl7(Buffer.from('MSH|^~\\&|A|B|C|D||||X|P|2.5')))).toMatchObject({ code: 101, rejects: true, location: { segment: 'MSH', field: 9 } });
    expect(catchError(() => parseHl7(Buffer.from('MSH|^~\\&|A|B|C|D|||ORM^O01||P|2.5')))).toMatchObject({ code: 101, location: { segment: 'MSH', field: 10 } });
  });

  it('names a line that is not a segment', () => {
    expect(catchError(() => parseHl7(Buffer.from(lines(msh(), 'this is not hl7'))))).toMatchObject({ code: 100 });
  });
});

describe('peekHeader', () => {
  it('reads MSH from a message whose body does not parse', () => {
    expect(peekHeader(Buffer.from(lines(msh(), 'garbage')))).toMatchObject({ controlId: 'MSG0001', sendingApplication: 'LABO' });
  });
  it('returns nothing for bytes that are not HL7', () => {
    expect(peekHeader(Buffer.from('GET / HTTP/1.1'))).toEqual({});
  });
});

describe('escapeValue', () => {
  it('escapes separators and line breaks, and round-trips through the parser', () => {
    const value = 'a|b^c&d~e\\f\r\ng';
    const escaped = escapeValue(value, STANDARD_SEPARATORS);
    expect(escaped).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g');
    expect(
      parseHl7(Buffer.from(lines(msh(), `NTE|1||${escaped}`)))
        .first('NTE')!
        .value(3),
    ).toBe('a|b^c&d~e\\f\ng');
  });
});

function catchError(fn: () => unknown): Hl7Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Hl7Error);
    return e;
  }
  throw new Error('expected an Hl7Error');
}
