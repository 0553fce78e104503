import type { ReadingTaskView } from '@krypton/pathway';
import { reportEditorView, viewerUrl } from './report-editor.view-model';

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
const priors = [
  { studyUid: '1.2.3', date: '2026-12-05', description: 'this exam', modalities: 'DX' },
  { studyUid: '1.2.9', date: '2025-01-02', description: 'Thorax', modalities: 'DX' },
];

describe('report editor view model', () => {
  it('starts from the template, lists the priors without the exam, and opens the viewer on both', () => {
    const v = reportEditorView(task, template, priors, 'demo-radiologist');
    expect(v).toMatchObject({ technique: 'T', findings: 'F', startedFrom: 'procedure', procedure: 'ZBQK002', canSign: true });
    expect(v.priors.map((p) => p.studyUid)).toEqual(['1.2.9']);
    expect(v.viewerUrl).toBe('/viewer?StudyInstanceUIDs=1.2.3,1.2.9');
  });

  it('keeps the draft field by field, an emptied field included, and lets only the holder sign', () => {
    const v = reportEditorView({ ...task, draft: { findings: 'dictated', technique: '' } }, template, [], 'someone-else');
    expect(v).toMatchObject({ technique: '', findings: 'dictated', conclusion: '', startedFrom: 'draft', canSign: false });
  });

  it('has no viewer before images arrive', () => {
    expect(viewerUrl([null])).toBeNull();
  });
});
