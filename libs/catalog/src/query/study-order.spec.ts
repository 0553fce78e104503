import { buildCatalogQuery } from './catalog-query';
import { fewPatients, STUDY_ORDER, studyOrderProbe } from './study-order';

describe('studyOrderProbe', () => {
  it('sorts the matches of keys that find a handful of studies', () => {
    expect(studyOrderProbe({ level: 'STUDY', keys: { PatientID: 'P1' } })).toBe('sort');
    expect(studyOrderProbe({ level: 'STUDY', keys: { AccessionNumber: 'A1' } })).toBe('sort');
    expect(studyOrderProbe({ level: 'STUDY', keys: { PatientName: 'DUPONT^JEAN' } })).toBe('sort');
  });

  it('walks the date index without a selective key', () => {
    expect(studyOrderProbe({ level: 'STUDY', keys: {} })).toBe('index');
    expect(studyOrderProbe({ level: 'STUDY', keys: { StudyDate: '20240101-20240131', PatientID: '*' } })).toBe('index');
  });

  it('counts the patients a name prefix matches, up to a cap', () => {
    expect(studyOrderProbe({ level: 'STUDY', keys: { PatientName: 'DUP*' } })).toEqual({
      text: 'SELECT count(*)::int AS n FROM (SELECT 1 FROM patient p WHERE lower(p.name) LIKE $1 LIMIT 2000) x',
      values: ['dup%'],
    });
  });

  it('raises the cut-off with the size of the catalogue', () => {
    expect(fewPatients(1000)).toBe(2000);
    expect(fewPatients(666_666)).toBe(10_646);
    expect((studyOrderProbe({ level: 'STUDY', keys: { PatientName: 'DUP*' } }, 10_646) as { text: string }).text).toContain('LIMIT 10646');
  });

  it('writes the same order in a form no index matches', () => {
    expect(buildCatalogQuery({ level: 'STUDY', keys: {} }, 'sort').text).toContain(`ORDER BY ${STUDY_ORDER.sort} LIMIT`);
    expect(buildCatalogQuery({ level: 'STUDY', keys: {} }).text).toContain(`ORDER BY ${STUDY_ORDER.index} LIMIT`);
  });
});
