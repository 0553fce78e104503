import { loadConfig } from '@krypton/config';
import { configurationView } from './configuration.view-model';
import { healthView } from './health.view-model';

describe('configuration view', () => {
  const view = configurationView(loadConfig('config/krypton.yaml'));
  it('lists sites with their AEs, destinations with their caps, pools with their readers', () => {
    expect(view.sites.find((s) => s.id === 'chu-nord')).toMatchObject({ readingPool: 'chu-nord-radiologists', aes: 2 });
    expect(view.destinations).toEqual([{ name: 'ORTHANC', aeTitle: 'ORTHANC', address: '127.0.0.1:4242', maxAssociations: 2, storageCommitment: false }]);
    expect(view.pools.find((p) => p.id === 'regional-teleradiology')).toMatchObject({ isDefault: true, readers: 1 });
  });
  it('never shows token hashes or identifiers', () => {
    expect(JSON.stringify(view)).not.toMatch(/tokenSha256|[0-9a-f]{64}|rpps:|ins:/);
    expect(view.users.find((u) => u.name === 'demo-coordinator')).toMatchObject({ sites: ['region', 'chu-nord', 'clinique-sud'], signIn: 'token' });
  });
});

describe('health view', () => {
  const up = { status: 'up' as const };
  it('puts what is down first and reads the backlog stage by stage', () => {
    const v = healthView({
      status: 'down',
      down: ['worker'],
      checks: { database: up, redis: up, temporal: up, worker: { status: 'down', detail: 'no worker has reported in the last 15 s' }, gateway: { status: 'up', detail: '1 running' }, hl7Gateway: up },
      ingestBacklog: { unindexed: 3, indexJobs: null, studiesAwaitingStable: 0, instancesAwaitingDose: 0 },
    });
    expect(v.up).toBe(false);
    expect(v.lines[0]).toEqual({ check: 'worker', up: false, detail: 'no worker has reported in the last 15 s' });
    expect(v.backlog).toContainEqual({ stage: 'indexJobs', count: null });
    expect(v.backlogUnreadable).toBeNull();
  });
  it('says when the backlog could not be read', () => {
    const v = healthView({ status: 'up', down: [], checks: { database: up, redis: up, temporal: up, worker: up, gateway: up, hl7Gateway: up }, ingestBacklog: { error: 'timeout' } });
    expect(v).toMatchObject({ up: true, backlog: [], backlogUnreadable: 'timeout' });
  });
});
