import {
  AmbiguousPatientError,
  anyPatientSqlCondition,
  decidePatient,
  formatPatientKey,
  InvalidPatientKeyError,
  issuerOfPatientId,
  matchesPatient,
  numberPlaceholders,
  parsePatientKey,
  PatientRecord,
  patientSelector,
  patientSelectorFromDicom,
  PatientSelector,
  patientSqlCondition,
  withDefaultIssuer,
} from './index';

const INS = '180017512345678';
const NORD: PatientRecord = { patientId: 'DUP-1', issuer: 'CHU-NORD', ins: INS };
const SUD: PatientRecord = { patientId: 'DUP-1', issuer: 'CLINIQUE-SUD', ins: null };
const NO_ISSUER: PatientRecord = { patientId: 'DUP-1', issuer: '', ins: null };
const INS_AS_ID: PatientRecord = { patientId: INS, issuer: '1.2.250.1.213.1.4.8', ins: null };
const OTHER: PatientRecord = { patientId: 'X-9', issuer: 'CHU-NORD', ins: null };
const CATALOGUE = [NORD, SUD, NO_ISSUER, INS_AS_ID, OTHER];

/** Evaluates patientSqlCondition over one record, so the SQL form is checked against the in-memory one. */
function sqlMatches(sel: PatientSelector, p: PatientRecord): boolean {
  const c = patientSqlCondition(sel, { patientId: 'pid', issuer: 'iss', ins: 'ins' });
  let k = 0;
  const js = c.sql
    .replace(/\$/g, () => `P[${k++}]`)
    .replace(/(\w+) = ANY\((P\[\d\])\)/g, '$2.includes($1)')
    .replace(/ = /g, ' === ')
    .replace(/\bAND\b/g, '&&')
    .replace(/\bOR\b/g, '||');
  return new Function('pid', 'iss', 'ins', 'P', `return ${js};`)(p.patientId, p.issuer, p.ins, c.params);
}

describe('patient-matching rule', () => {
  it('reads the issuer from Issuer of Patient ID, else the qualifiers sequence Universal Entity ID', () => {
    expect(issuerOfPatientId({ IssuerOfPatientID: 'CHU-NORD', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: '1.2.3' }] })).toBe('CHU-NORD');
    expect(issuerOfPatientId({ IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: '1.2.250.1.71.4.2.2.1 ' }] })).toBe('1.2.250.1.71.4.2.2.1');
    expect(issuerOfPatientId({ IssuerOfPatientID: '', IssuerOfPatientIDQualifiersSequence: { UniversalEntityID: 'CHU-NORD' } })).toBe('CHU-NORD');
    expect(issuerOfPatientId({ PatientID: 'DUP-1' })).toBe('');
  });

  it('turns a Patient ID and its issuer into an INS, a local identifier or a bare ID', () => {
    expect(patientSelector('DUP-1', 'CHU-NORD')).toEqual({ kind: 'local', patientId: 'DUP-1', issuer: 'CHU-NORD' });
    expect(patientSelector('DUP-1')).toEqual({ kind: 'bare', patientId: 'DUP-1' });
    expect(patientSelector(INS, '1.2.250.1.213.1.4.8')).toEqual({ kind: 'ins', ins: INS });
    expect(patientSelector(INS, '1.2.250.1.213.1.4.10')).toEqual({ kind: 'ins', ins: INS });
    expect(patientSelector('  ', 'CHU-NORD')).toBeNull();
    expect(patientSelectorFromDicom({ PatientID: 'DUP-1', IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: 'CLINIQUE-SUD' }] })).toEqual({
      kind: 'local',
      patientId: 'DUP-1',
      issuer: 'CLINIQUE-SUD',
    });
    expect(patientSelectorFromDicom({ PatientID: INS, IssuerOfPatientIDQualifiersSequence: [{ UniversalEntityID: '1.2.250.1.213.1.4.8' }] })).toEqual({ kind: 'ins', ins: INS });
  });

  const cases: [string, PatientSelector, PatientRecord[]][] = [
    ['a local identifier reaches its one record', { kind: 'local', patientId: 'DUP-1', issuer: 'CHU-NORD' }, [NORD]],
    ['the other issuer reaches the other patient', { kind: 'local', patientId: 'DUP-1', issuer: 'CLINIQUE-SUD' }, [SUD]],
    ['an empty issuer is the namespace of records filed without one', { kind: 'local', patientId: 'DUP-1', issuer: '' }, [NO_ISSUER]],
    ['an INS reaches the records carrying it and those filed under it', { kind: 'ins', ins: INS }, [NORD, INS_AS_ID]],
    ['a bare Patient ID reaches every issuer', { kind: 'bare', patientId: 'DUP-1' }, [NORD, SUD, NO_ISSUER]],
  ];
  it.each(cases)('%s (in memory and in SQL alike)', (_name, sel, expected) => {
    expect(CATALOGUE.filter((p) => matchesPatient(sel, p))).toEqual(expected);
    expect(CATALOGUE.filter((p) => sqlMatches(sel, p))).toEqual(expected);
  });

  it('numbers the placeholders of its SQL for callers writing their own statement', () => {
    expect(numberPlaceholders(patientSqlCondition({ kind: 'local', patientId: 'DUP-1', issuer: 'CHU-NORD' }), 3)).toBe('(p.patient_id = $3 AND p.issuer = $4)');
  });

  it('matches any of several patients, and none for an empty list', () => {
    const both = anyPatientSqlCondition([
      { kind: 'local', patientId: 'DUP-1', issuer: 'CHU-NORD' },
      { kind: 'local', patientId: 'X-9', issuer: 'CHU-NORD' },
    ]);
    expect(numberPlaceholders(both)).toBe('((p.patient_id = $1 AND p.issuer = $2) OR (p.patient_id = $3 AND p.issuer = $4))');
    expect(both.params).toEqual(['DUP-1', 'CHU-NORD', 'X-9', 'CHU-NORD']);
    expect(anyPatientSqlCondition([]).sql).toBe('false');
  });

  it('refuses a bare Patient ID that more than one issuer holds, and only then', () => {
    const bare = { kind: 'bare', patientId: 'DUP-1' } as const;
    expect(decidePatient(bare, [NORD, SUD])).toEqual({ kind: 'ambiguous', patientId: 'DUP-1', issuers: ['CHU-NORD', 'CLINIQUE-SUD'] });
    expect(decidePatient(bare, [NORD, NO_ISSUER])).toMatchObject({ kind: 'ambiguous', issuers: ['', 'CHU-NORD'] });
    expect(decidePatient(bare, [SUD])).toEqual({ kind: 'one', records: [SUD] });
    expect(decidePatient(bare, [])).toEqual({ kind: 'none' });
    // Several records of one INS are one person (a record per site).
    expect(decidePatient({ kind: 'ins', ins: INS }, [NORD, INS_AS_ID])).toEqual({ kind: 'one', records: [NORD, INS_AS_ID] });
  });

  it('applies a calling AE default issuer to a bare Patient ID only', () => {
    expect(withDefaultIssuer({ kind: 'bare', patientId: 'DUP-1' }, 'CHU-NORD')).toEqual({ kind: 'local', patientId: 'DUP-1', issuer: 'CHU-NORD' });
    expect(withDefaultIssuer({ kind: 'local', patientId: 'DUP-1', issuer: 'CLINIQUE-SUD' }, 'CHU-NORD')).toEqual({ kind: 'local', patientId: 'DUP-1', issuer: 'CLINIQUE-SUD' });
    expect(withDefaultIssuer({ kind: 'ins', ins: INS }, 'CHU-NORD')).toEqual({ kind: 'ins', ins: INS });
  });

  it('says what to add in an Error Comment that fits LO (64 characters)', () => {
    const e = new AmbiguousPatientError('DUP-1', ['CHU-NORD', 'CLINIQUE-SUD']);
    expect(e.errorComment).toBe('Patient ID DUP-1 is ambiguous: give the Issuer of Patient ID');
    expect(new AmbiguousPatientError('X'.repeat(30), []).errorComment).toBe('Patient ID is ambiguous: give the Issuer of Patient ID');
  });

  describe('text keys (dose history, request identifiers)', () => {
    it('reads an INS, with or without spaces, or with its INS issuer', () => {
      expect(parsePatientKey('1 84 12 76 451 089 46')).toEqual({ kind: 'ins', ins: '184127645108946' });
      expect(parsePatientKey('184122A45108946')).toEqual({ kind: 'ins', ins: '184122A45108946' });
      expect(parsePatientKey(`1.2.250.1.213.1.4.8|${INS}`)).toEqual({ kind: 'ins', ins: INS });
    });
    it('reads issuer|patientId, the issuer may be empty, and writes it back', () => {
      expect(parsePatientKey('CHU-NORD|12345')).toEqual({ kind: 'local', issuer: 'CHU-NORD', patientId: '12345' });
      expect(parsePatientKey('|12345')).toEqual({ kind: 'local', issuer: '', patientId: '12345' });
      expect(formatPatientKey(parsePatientKey('CHU-NORD|DUP-1'))).toBe('CHU-NORD|DUP-1');
    });
    it('never reads a bare Patient ID, and names the problem', () => {
      expect(() => parsePatientKey('DUP-1')).toThrow(InvalidPatientKeyError);
      expect(() => parsePatientKey('X|')).toThrow(/patientId/);
      expect(() => parsePatientKey(`1.2.250.1.213.1.4.8|DUP-1`)).toThrow(/INS/);
    });
  });
});
