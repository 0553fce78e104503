import type { ReadingTaskView } from '@krypton/pathway';
import { patientLabel, slaState, worklistRows } from './worklist.view-model';

const task = (over: Partial<ReadingTaskView> = {}): ReadingTaskView => ({
  requestId: 'r1',
  pool: 'regional-teleradiology',
  priority: 'emergency',
  state: 'open',
  claimedBy: null,
  openedAt: '2026-12-05T10:00:00.000Z',
  dueAt: '2026-12-05T11:00:00.000Z',
  slaWarned: false,
  slaBreached: false,
  accessionNumber: 'A1',
  studyInstanceUid: '1.2.3',
  procedure: { code: 'ACQK001', label: 'Scanographie du crâne', modality: 'CT' },
  patient: { familyName: 'Martin', givenName: 'Léa' },
  clinicalInformation: null,
  draft: null,
  ...over,
});
const pools = [{ id: 'regional-teleradiology', name: 'Regional tele-radiology pool' }];
const now = new Date('2026-12-05T10:30:00.000Z');

describe('worklist view model', () => {
  it('says the SLA state from the pathway marks, or from the clock once the deadline is past', () => {
    expect(slaState(task(), now)).toBe('on-time');
    expect(slaState(task({ slaWarned: true }), now)).toBe('warning');
    expect(slaState(task({ slaBreached: true }), now)).toBe('breached');
    expect(slaState(task(), new Date('2026-12-05T11:00:00.000Z'))).toBe('breached');
  });

  it('offers claim on open tasks of my pools, release and edit on mine, nothing on another radiologist’s', () => {
    const me = { name: 'demo-radiologist', pools: ['regional-teleradiology'] };
    const [open, mine, theirs, otherPool] = worklistRows(
      [task(), task({ requestId: 'r2', state: 'claimed', claimedBy: 'demo-radiologist' }), task({ requestId: 'r3', state: 'claimed', claimedBy: 'dr-x' }), task({ requestId: 'r4', pool: 'neuro' })],
      me,
      pools,
      now,
    );
    expect(open).toMatchObject({ canClaim: true, canRelease: false, canEdit: false, minutesLeft: 30, poolName: 'Regional tele-radiology pool', patient: 'MARTIN Léa' });
    expect(mine).toMatchObject({ canClaim: false, canRelease: true, canEdit: true, mine: true });
    expect(theirs).toMatchObject({ canClaim: false, canRelease: false, canEdit: false, claimedBy: 'dr-x' });
    expect(otherPool).toMatchObject({ canClaim: false, poolName: 'neuro' });
  });

  it('names a patient without inventing missing parts', () => {
    expect(patientLabel(null)).toBe('');
    expect(patientLabel({ familyName: 'Nom' })).toBe('NOM');
  });
});
