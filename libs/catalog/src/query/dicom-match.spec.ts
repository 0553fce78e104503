import { BY_KEYWORD } from './attributes';
import { InvalidMatchKeyError, matchCondition } from './dicom-match';
import { buildCatalogQuery } from './catalog-query';

const def = (k: string) => BY_KEYWORD.get(k)!;

describe('DICOM matching', () => {
  it('treats an empty value and a lone * as universal matching', () => {
    expect(matchCondition(def('PatientName'), '')).toBeNull();
    expect(matchCondition(def('AccessionNumber'), '*')).toBeNull();
  });

  it('matches person names case-insensitively with wildcards', () => {
    expect(matchCondition(def('PatientName'), 'Dup?nt*')).toEqual({ sql: 'lower(p.name) LIKE $', params: ['dup_nt%'] });
  });

  it('escapes SQL LIKE characters in the value', () => {
    expect(matchCondition(def('StudyDescription'), '100%_CT*')!.params).toEqual(['100\\%\\_CT%']);
  });

  it('supports open and closed date ranges', () => {
    expect(matchCondition(def('StudyDate'), '20240101-20240131')).toEqual({ sql: '(st.study_date >= $ AND st.study_date <= $)', params: ['20240101', '20240131'] });
    expect(matchCondition(def('StudyDate'), '-20240131')).toEqual({ sql: 'st.study_date <= $', params: ['20240131'] });
    expect(matchCondition(def('StudyDate'), '20240101-')).toEqual({ sql: 'st.study_date >= $', params: ['20240101'] });
  });

  it('rejects a malformed date', () => {
    expect(() => matchCondition(def('StudyDate'), '2024-01-01')).toThrow(InvalidMatchKeyError);
  });

  it('matches UID lists', () => {
    expect(matchCondition(def('StudyInstanceUID'), '1.2.3\\1.2.4')).toEqual({ sql: 'st.study_uid = ANY($)', params: [['1.2.3', '1.2.4']] });
  });

  it('numbers placeholders and ignores keys below the query level', () => {
    const q = buildCatalogQuery({ level: 'STUDY', keys: { PatientID: 'X1', SOPInstanceUID: '1.2', ModalitiesInStudy: 'CT\\MR' }, limit: 5 });
    expect(q.text).toContain('p.patient_id = $1');
    expect(q.text).toContain('x.modality = ANY($2)');
    expect(q.text).not.toContain('i.sop_instance_uid =');
    expect(q.values).toEqual(['X1', ['CT', 'MR'], 5, 0]);
  });
});

describe('patient keys of C-FIND and QIDO (the patient-matching rule)', () => {
  it('matches a Patient ID within its issuer, an INS by the INS, a bare ID across issuers', () => {
    const local = buildCatalogQuery({ level: 'PATIENT', keys: { PatientID: 'DUP-1', IssuerOfPatientID: 'CHU-NORD', PatientName: '' } });
    expect(local.text).toContain('WHERE (p.patient_id = $1 AND p.issuer = $2) ORDER');
    expect(local.values.slice(0, 2)).toEqual(['DUP-1', 'CHU-NORD']);
    const ins = buildCatalogQuery({ level: 'STUDY', keys: { PatientID: '180017512345678', IssuerOfPatientID: '1.2.250.1.213.1.4.8' } });
    expect(ins.text).toContain('(p.ins = $1 OR (p.patient_id = $2 AND p.issuer = ANY($3)))');
    const bare = buildCatalogQuery({ level: 'STUDY', keys: { PatientID: 'DUP-1', IssuerOfPatientID: '' } });
    expect(bare.text).toContain('WHERE p.patient_id = $1 ORDER');
  });

  it('leaves wildcard searches to string matching', () => {
    const q = buildCatalogQuery({ level: 'PATIENT', keys: { PatientID: 'DUP*', IssuerOfPatientID: 'CHU-*' } });
    expect(q.text).toContain('p.patient_id LIKE $1');
    expect(q.text).toContain('p.issuer LIKE $2');
  });
});
