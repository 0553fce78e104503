import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { FsObjectStore } from './fs-object-store';
import { instanceKey } from './instance-key';

describe('FsObjectStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'krypton-store-'));
  const store = new FsObjectStore(root);
  const key = instanceKey('1.2.3.4');

  it('keeps the first copy under keep-first', async () => {
    expect(await store.put(key, [Buffer.from('first')], { onExisting: 'keep-first' })).toBe('stored');
    expect(await store.put(key, [Buffer.from('second')], { onExisting: 'keep-first' })).toBe('duplicate');
    expect((await store.get(key)).toString()).toBe('first');
  });

  it('replaces under replace and leaves no temporary file', async () => {
    expect(await store.put(key, [Buffer.from('a'), Buffer.from('b')], { onExisting: 'replace' })).toBe('replaced');
    expect((await store.get(key)).toString()).toBe('ab');
    expect(readdirSync(dirname(store.path(key)))).toEqual(['1.2.3.4.dcm']);
  });

  it('replaces a partial first copy left by a crash, under keep-first', async () => {
    const k = instanceKey('1.2.3.5');
    await store.put(k, [Buffer.from('PART')], { onExisting: 'keep-first' });
    const isComplete = (b: Buffer) => b.toString() !== 'PART';
    expect(await store.put(k, [Buffer.from('WHOLE')], { onExisting: 'keep-first', isComplete })).toBe('replaced');
    expect((await store.get(k)).toString()).toBe('WHOLE');
    expect(await store.put(k, [Buffer.from('AGAIN')], { onExisting: 'keep-first', isComplete })).toBe('duplicate');
    await store.delete(k);
  });

  it('refuses keys that escape the root', () => {
    expect(() => store.path('../etc/passwd')).toThrow(/invalid storage key/);
  });

  it('lists keys', async () => {
    const keys: string[] = [];
    for await (const k of store.keys()) keys.push(k);
    expect(keys).toEqual([key]);
  });
});
