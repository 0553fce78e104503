import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressLosslessVerified, decompressArchived, nativePixels } from '@krypton/dicom-codec';
import { FsObjectStore } from './fs-object-store';
import { ObjectNotFoundError } from './storage-errors';
import { ARCHIVE_COMPRESSED_SUFFIX, TieredObjectStore } from './tiered-object-store';

const ELE = '1.2.840.10008.1.2.1';
const PET = join(__dirname, '../../../../shared/data/images/NM-PetIm-GE.dcm');

describe('TieredObjectStore', () => {
  const primary = new FsObjectStore(mkdtempSync(join(tmpdir(), 'krypton-primary-')));
  const archive = new FsObjectStore(mkdtempSync(join(tmpdir(), 'krypton-archive-')));
  const tiers = new TieredObjectStore(primary, archive, decompressArchived);
  const original = readFileSync(PET);

  it('reads a compressed archive copy back with the original pixels, and writes it back for file readers', async () => {
    const compressed = await compressLosslessVerified(original, ELE);
    expect(compressed).not.toBeNull();
    expect(compressed!.length).toBeLessThan(original.length / 2);
    await archive.put(`a/1.dcm${ARCHIVE_COMPRESSED_SUFFIX}`, [compressed!], { onExisting: 'replace' });
    const read = await tiers.get('a/1.dcm');
    expect((await nativePixels(read, ELE))!.equals((await nativePixels(original, ELE))!)).toBe(true);
    const streamed: Buffer[] = [];
    for await (const c of tiers.stream('a/1.dcm')) streamed.push(c);
    expect(Buffer.concat(streamed).equals(read)).toBe(true);
    expect(await primary.exists('a/1.dcm')).toBe(false);
    const path = await tiers.localPath('a/1.dcm');
    expect(readFileSync(path).equals(read)).toBe(true);
    expect(await primary.exists('a/1.dcm')).toBe(true);
  });

  it('reads an uncompressed archive copy as it was stored, and fails for a key neither tier has', async () => {
    await archive.put('a/2.dcm', [Buffer.from('as stored')], { onExisting: 'replace' });
    expect((await tiers.get('a/2.dcm')).toString()).toBe('as stored');
    await expect(tiers.get('a/3.dcm')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('reads from the primary again when a recall removed the archive copy between the two reads', async () => {
    // A primary that misses once (the read before the recall), then holds the recalled object.
    let first = true;
    const racing = Object.create(primary) as FsObjectStore;
    racing.get = async (key: string) => {
      if (first) {
        first = false;
        await primary.put(key, [Buffer.from('recalled')], { onExisting: 'replace' });
        throw new ObjectNotFoundError(key);
      }
      return primary.get(key);
    };
    const raced = new TieredObjectStore(racing, archive, decompressArchived);
    expect((await raced.get('a/4.dcm')).toString()).toBe('recalled');
  });

  it('refuses to compress what it cannot verify (not Explicit VR Little Endian, no pixel data)', async () => {
    expect(await compressLosslessVerified(original, '1.2.840.10008.1.2')).toBeNull();
    expect(await compressLosslessVerified(Buffer.from('not DICOM'), ELE)).toBeNull();
  });
});
