import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsObjectStore } from './fs-object-store';
import { instanceKey } from './instance-key';

/** Writes the pieces through a writer, one event-loop turn apart (as PDVs arrive). */
async function streamed(store: FsObjectStore, key: string, pieces: string[], opts: Parameters<FsObjectStore['writer']>[1]) {
  const w = store.writer(key, opts);
  for (const p of pieces) {
    w.write(Buffer.from(p));
    await new Promise((r) => setImmediate(r));
  }
  return w;
}

describe('FsObjectWriter', () => {
  const root = mkdtempSync(join(tmpdir(), 'krypton-writer-'));
  const store = new FsObjectStore(root);
  const files = (key: string) => readdirSync(dirname(store.path(key))).sort();

  it('streams the pieces in order to the key and commits them', async () => {
    const key = instanceKey('1.2.3.10');
    const w = await streamed(store, key, ['He', 'llo', ', ', 'world'], { onExisting: 'keep-first' });
    expect(await w.commit()).toBe('stored');
    expect((await store.get(key)).toString()).toBe('Hello, world');
  });

  it('under keep-first, a second copy is written aside and dropped: duplicate, no temporary file left', async () => {
    const key = instanceKey('1.2.3.11');
    await (await streamed(store, key, ['first'], { onExisting: 'keep-first' })).commit();
    const w = await streamed(store, key, ['sec', 'ond'], { onExisting: 'keep-first', isComplete: () => true });
    expect(await w.commit()).toBe('duplicate');
    expect((await store.get(key)).toString()).toBe('first');
    expect(files(key)).toEqual(['1.2.3.11.dcm']);
  });

  it('replaces a partial copy left by a crash, and replaces under "replace"', async () => {
    const key = instanceKey('1.2.3.12');
    await store.put(key, [Buffer.from('PART')], { onExisting: 'keep-first' });
    const isComplete = (b: Buffer) => b.toString() !== 'PART';
    expect(await (await streamed(store, key, ['WHO', 'LE'], { onExisting: 'keep-first', isComplete })).commit()).toBe('replaced');
    expect((await store.get(key)).toString()).toBe('WHOLE');
    expect(await (await streamed(store, key, ['NEW'], { onExisting: 'replace' })).commit()).toBe('replaced');
    expect((await store.get(key)).toString()).toBe('NEW');
    expect(files(key)).toEqual(['1.2.3.12.dcm']);
  });

  it('discard leaves nothing: neither the object under its key nor a temporary file', async () => {
    const key = instanceKey('1.2.3.13');
    const w = await streamed(store, key, ['half of an ob'], { onExisting: 'keep-first' });
    await w.discard();
    expect(await store.exists(key)).toBe(false);
    await (await streamed(store, key, ['kept'], { onExisting: 'keep-first' })).commit();
    const dup = await streamed(store, key, ['cut'], { onExisting: 'keep-first' });
    await dup.discard();
    expect((await store.get(key)).toString()).toBe('kept');
    expect(files(key).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it("a copy cut off after another association's copy of the same instance replaced it does not remove that one", async () => {
    const key = instanceKey('1.2.3.14');
    const isComplete = (b: Buffer) => b.toString().endsWith('END');
    const first = await streamed(store, key, ['partial, still arriving'], { onExisting: 'keep-first', isComplete });
    const second = await streamed(store, key, ['whole copy END'], { onExisting: 'keep-first', isComplete });
    expect(await second.commit()).toBe('replaced');
    await first.discard();
    expect((await store.get(key)).toString()).toBe('whole copy END');
    expect(files(key).filter((f) => f.includes('1.2.3.14') || f.startsWith('.tmp-'))).toEqual(['1.2.3.14.dcm']);
  });
});
