import { projectRow } from './project.view-model';

const p = (state: string, counts = { total: 0, done: 0, quarantined: 0, failed: 0 }) => ({ id: 'x', title: 'T', state, counts, createdAt: '2026-12-05T10:00:00Z' });

describe('research project row', () => {
  it('says the approval state and the step', () => {
    expect(projectRow(p('submitted'))).toMatchObject({ approval: 'waiting', step: 1, progressPercent: null, downloadable: false, live: true });
    expect(projectRow(p('changes-requested')).approval).toBe('changes-requested');
    expect(projectRow(p('rejected'))).toMatchObject({ approval: 'rejected', live: false });
  });
  it('counts quarantined and failed instances as handled in the progress, and offers the download when completed', () => {
    expect(projectRow(p('extracting', { total: 200, done: 90, quarantined: 5, failed: 5 }))).toMatchObject({ progressPercent: 50, live: true, step: 2 });
    expect(projectRow(p('completed', { total: 3, done: 3, quarantined: 0, failed: 0 }))).toMatchObject({ progressPercent: 100, downloadable: true, live: false, step: 4 });
    expect(projectRow(p('completed')).progressPercent).toBe(100);
  });
});
