import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexItem } from '@krypton/queue';
import { IndexOutbox } from './index-outbox';

const item = (uid: string, replace = false): IndexItem => ({ rec: { sopInstanceUid: uid } as IndexItem['rec'], replace });
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** The journal's own rules, with the catalogue and the queue played by sets and arrays. */
describe('IndexOutbox', () => {
  let dir: string;
  let catalogue: Map<string, number>;
  let queued: { uids: string[]; jobId?: string }[];
  const make = (redriveAfterMs = 0) =>
    new IndexOutbox({
      dir,
      redriveAfterMs,
      log: quiet,
      enqueue: async (items, jobId) => void queued.push({ uids: items.map((i) => i.rec.sopInstanceUid), jobId }),
      indexed: async (items) => new Set(items.filter((i) => catalogue.has(i.sopInstanceUid) && (i.since === null || catalogue.get(i.sopInstanceUid)! >= i.since)).map((i) => i.sopInstanceUid)),
    });
  // Segments are checked one rotation period (1 s) after they close.
  const later = (o: IndexOutbox) => {
    jest.setSystemTime(Date.now() + 1500);
    return o.verify();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    catalogue = new Map();
    queued = [];
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  it('writes a line before answering, keeps a segment until the catalogue holds all it names, then deletes it', async () => {
    const o = make(60_000);
    o.start();
    o.append(item('1.1'));
    o.append(item('1.2'));
    expect(o.backlog()).toBe(2);
    expect(readdirSync(dir)).toHaveLength(1);
    await o.stop();
    catalogue.set('1.1', Date.now());
    await later(o);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(o.backlog()).toBe(2);
    catalogue.set('1.2', Date.now());
    await later(o);
    expect(readdirSync(dir)).toEqual([]);
    expect(o.backlog()).toBe(0);
    expect(queued).toEqual([]);
  });

  it('hands what the catalogue lacks to the indexer again, once per period, under one job id per segment', async () => {
    const o = make(5000);
    o.start();
    o.append(item('2.1'));
    o.append(item('2.2'));
    await o.stop();
    catalogue.set('2.1', Date.now());
    await later(o);
    expect(queued).toEqual([]);
    jest.setSystemTime(Date.now() + 5000);
    await o.verify();
    expect(queued).toHaveLength(1);
    expect(queued[0].uids).toEqual(['2.2']);
    expect(queued[0].jobId).toMatch(/^redrive-/);
    await o.verify();
    expect(queued).toHaveLength(1);
  });

  it('counts a replaced object as indexed only once its row is as recent as the replacement', async () => {
    const o = make(60_000);
    o.start();
    catalogue.set('3.1', Date.now() - 10_000);
    o.append(item('3.1', true));
    await o.stop();
    await later(o);
    expect(readdirSync(dir)).toHaveLength(1);
    catalogue.set('3.1', Date.now());
    await later(o);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('adopts the segments of a dead process of this host at once, not those of a live one or another host', async () => {
    const dead = `${hostname()}~999999~1~0.jsonl`;
    const alive = `${hostname()}~${process.ppid}~1~0.jsonl`;
    const elsewhere = `other-host~999999~1~0.jsonl`;
    for (const name of [dead, alive, elsewhere]) writeFileSync(join(dir, name), JSON.stringify({ item: item(`4.${name.length}`), at: 1 }) + '\n');
    const o = make(5000);
    o.start();
    await o.verify();
    expect(queued).toEqual([{ uids: [`4.${dead.length}`], jobId: expect.stringMatching(/^redrive-/) }]);
    expect(o.backlog()).toBe(1);
    catalogue.set(`4.${dead.length}`, Date.now());
    await later(o);
    expect(readdirSync(dir).sort()).toEqual([alive, elsewhere].sort());
    await o.stop();
  });
});
