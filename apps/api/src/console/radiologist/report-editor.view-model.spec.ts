import type { ReadingTaskView } from '@krypton/pathway';
import { priorStudies, reportEditorView, viewerUrl } from './report-editor.view-model';

const task: ReadingTaskView = {
  requestId: 'r1',
  pool: 'p',
  priority: 'routine',
  state: 'claimed',
  claimedBy: 'demo-radiologist',
  openedAt: '2026-12-05T10:00:00.000Z',
  dueAt: '2026-12-08T10:00:00.000Z',
  slaWarned: false,
  slaBreached: false,
  accessionNumber: 'A1',
  studyInstanceUid: '1.2.3',
  procedure: { code: 'ZBQK002', label: null, modality: 'DX' },
  patient: { familyName: 'Martin' },
  clinicalInformation: 'Toux',
  draft: null,
};
const template = { technique: 'T', findings: 'F', conclusion: '', source: 'procedure' as const };
const prior = {
  studyInstanceUid: '1.2.9',
  source: 'catalogue',
  state: 'available' as const,
  studyDate: '2025-01-02',
  modalities: ['DX'],
  bodyParts: ['CHEST'],
  description: 'Thorax',
  relevance: 'same body part',
  rank: 1,
  instances: 1,
  lastError: null,
  updatedAt: '2026-12-05T10:00:00Z',
};
const priors = priorStudies([{ ...prior, studyInstanceUid: '1.2.3', description: 'this exam' }, prior, { ...prior, studyInstanceUid: '1.2.10', state: 'fetching' as const }]);

describe('report editor view model', () => {
  it('starts from the template, lists the priors without the exam, and opens the viewer on both', () => {
    const v = reportEditorView(task, template, priors, 'demo-radiologist');
    expect(v).toMatchObject({ technique: 'T', findings: 'F', startedFrom: 'procedure', procedure: 'ZBQK002', canSign: true });
    expect(v.priors.map((p) => p.studyUid)).toEqual(['1.2.9', '1.2.10']);
    expect(v.priors[0]).toMatchObject({ modalities: 'DX', relevance: 'same body part', state: 'available' });
    // A prior still on its way from a site PACS is listed but not opened.
    expect(v.viewerUrl).toBe('/viewer?StudyInstanceUIDs=1.2.3,1.2.9');
  });

  it('keeps the draft field by field, an emptied field included, and lets only the holder sign', () => {
    const v = reportEditorView({ ...task, draft: { findings: 'dictated', technique: '' } }, template, [], 'someone-else');
    expect(v).toMatchObject({ technique: '', findings: 'dictated', conclusion: '', startedFrom: 'draft', canSign: false });
  });

  it('has no viewer before images arrive', () => {
    expect(viewerUrl([null])).toBeNull();
    expect(reportEditorView({ ...task, studyInstanceUid: null }, template, priors, 'demo-radiologist').viewerUrl).toBeNull();
  });
});
