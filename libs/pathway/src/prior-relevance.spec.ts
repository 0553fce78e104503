import { requestPatientSelectors, selectRelevantPriors, type PriorCandidate, type PriorRule } from './prior-relevance';

const RULE: PriorRule = { maxAgeYears: 5, maxAgeYearsByModality: { MG: 10 }, relatedModalities: { CT: ['PT'] }, sameBodyPart: true, maxPriors: 3 };
const study = (uid: string, date: string | null, modalities: string[], bodyParts: string[] = [], source = 'catalogue'): PriorCandidate => ({
  studyUid: uid,
  source,
  studyDate: date,
  modalities,
  bodyParts,
  description: null,
  instances: 1,
});
const CT_CHEST = { studyUid: '9', modality: 'CT', bodyPart: 'CHEST', date: '2026-12-05' };

describe('selectRelevantPriors', () => {
  it('keeps the same modality and body part first, then the same modality, then a related one; most recent first within each', () => {
    const out = selectRelevantPriors(
      CT_CHEST,
      [study('a', '2025-01-01', ['CT'], []), study('b', '2024-01-01', ['CT'], ['chest']), study('c', '2026-01-01', ['PT', 'CT'], ['CHEST']), study('d', '2026-06-01', ['PT'], [])],
      { ...RULE, maxPriors: 10 },
    );
    expect(out.map((p) => [p.studyUid, p.rank, p.relevance])).toEqual([
      ['c', 1, 'same modality and body part'],
      ['b', 2, 'same modality and body part'],
      ['a', 3, 'same modality'],
      ['d', 4, 'related modality (PT)'],
    ]);
  });

  it('leaves out another body part, another modality, the exam itself, later studies and studies older than the window', () => {
    const out = selectRelevantPriors(
      CT_CHEST,
      [
        study('head', '2025-01-01', ['CT'], ['HEAD']),
        study('mr', '2025-01-01', ['MR'], ['CHEST']),
        study('9', '2026-12-05', ['CT'], ['CHEST']),
        study('later', '2026-12-06', ['CT'], ['CHEST']),
        study('old', '2021-12-01', ['CT'], ['CHEST']),
        study('ok', '2022-01-01', ['CT'], ['CHEST']),
      ],
      RULE,
    );
    expect(out.map((p) => p.studyUid)).toEqual(['ok']);
    expect(selectRelevantPriors(CT_CHEST, [study('head', '2025-01-01', ['CT'], ['HEAD'])], { ...RULE, sameBodyPart: false }).map((p) => p.studyUid)).toEqual(['head']);
  });

  it('takes the per-modality window, caps the count, keeps undated studies last and a study found twice once (the catalogue first)', () => {
    const mg = { studyUid: null, modality: 'MG', bodyPart: null, date: '2026-12-05' };
    expect(selectRelevantPriors(mg, [study('m8', '2018-12-06', ['MG'])], RULE).map((p) => p.studyUid)).toEqual(['m8']);
    const out = selectRelevantPriors(
      CT_CHEST,
      [
        study('x', null, ['CT'], ['CHEST']),
        study('y', '2026-01-01', ['CT'], ['CHEST']),
        study('y', '2026-01-01', ['CT'], ['CHEST'], 'SITE_PACS'),
        study('z', '2025-01-01', ['CT'], ['CHEST']),
        study('w', '2024-01-01', ['CT'], ['CHEST']),
      ],
      RULE,
    );
    expect(out.map((p) => [p.studyUid, p.source])).toEqual([
      ['y', 'catalogue'],
      ['z', 'catalogue'],
      ['w', 'catalogue'],
    ]);
  });
});

describe('requestPatientSelectors', () => {
  it('selects by INS and by each identifier with its issuer, never by a bare identifier', () => {
    expect(
      requestPatientSelectors({
        ins: '185057800608436',
        identifiers: [
          { value: 'P1', issuer: 'CHU-NORD' },
          { value: 'P2', issuer: '' },
        ],
      }),
    ).toEqual([
      { kind: 'ins', ins: '185057800608436' },
      { kind: 'local', patientId: 'P1', issuer: 'CHU-NORD' },
    ]);
  });
});
