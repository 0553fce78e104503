import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { FsObjectStore, readFileWhole } from './fs-object-store';
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

describe('readFileWhole with the catalogue size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krypton-read-'));
  const file = join(dir, 'object');
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
  writeFileSync(file, bytes);

  it('reads the whole file when the size is right, without asking the file its size', async () => {
    expect((await readFileWhole(file, undefined, bytes.length)).equals(bytes)).toBe(true);
  });

  it('reads the whole file when it grew since it was catalogued (a replaced object), not the catalogued prefix', async () => {
    expect((await readFileWhole(file, undefined, 1000)).equals(bytes)).toBe(true);
    expect((await readFileWhole(file, undefined, 0)).equals(bytes)).toBe(true);
  });

  it('reads what is there when the file is shorter than catalogued', async () => {
    expect((await readFileWhole(file, undefined, bytes.length + 5000)).equals(bytes)).toBe(true);
  });

  it('fills a buffer of the caller’s, and answers the same without the size', async () => {
    let asked = 0;
    const got = await readFileWhole(file, (n) => Buffer.alloc((asked = n)), bytes.length);
    expect(asked).toBe(bytes.length + 1);
    expect(got.equals(bytes)).toBe(true);
    expect((await readFileWhole(file)).equals(bytes)).toBe(true);
  });
});
