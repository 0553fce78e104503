import type { ArchivePolicy } from '@krypton/config';
import { planStudy, StudyArchiveFacts } from './archive-plan';

const facts = (over: Partial<StudyArchiveFacts> = {}): StudyArchiveFacts => ({
  studyUid: '1.2.3',
  site: 'chu-nord',
  modalities: ['CT'],
  sopClassUids: ['1.2.840.10008.5.1.4.1.1.2'],
  lastAccessAt: '2020-03-01T00:00:00.000Z',
  tier: 'primary',
  legalHold: false,
  ...over,
});

const policies: ArchivePolicy[] = [
  {
    site: 'chu-nord',
    tierAfterDays: 365,
    retainYears: 20,
    retention: [
      { modalities: ['MG'], years: 40 },
      { sopClassUids: ['1.2.840.10008.5.1.4.1.1.88.67'], years: 30 },
    ],
  },
  { site: '*', tierAfterDays: 30, retention: [] },
];

describe('planStudy', () => {
  it('counts tiering in days and deletion in years from the last access', () => {
    expect(planStudy(facts(), policies)).toEqual({ tierAt: '2021-03-01T00:00:00.000Z', deleteAt: '2040-03-01T00:00:00.000Z', policy: 'chu-nord' });
  });

  it('keeps a study as long as its longest-kept document type asks', () => {
    expect(planStudy(facts({ modalities: ['CT', 'MG'] }), policies).deleteAt).toBe('2060-03-01T00:00:00.000Z');
    expect(planStudy(facts({ sopClassUids: ['1.2.840.10008.5.1.4.1.1.88.67'] }), policies).deleteAt).toBe('2050-03-01T00:00:00.000Z');
  });

  it('falls back to the "*" policy, which here never deletes', () => {
    expect(planStudy(facts({ site: null }), policies)).toEqual({ tierAt: '2020-03-31T00:00:00.000Z', deleteAt: null, policy: '*' });
  });

  it('does nothing without a policy', () => {
    expect(planStudy(facts({ site: 'other' }), policies.slice(0, 1))).toEqual({ tierAt: null, deleteAt: null, policy: null });
  });
});
