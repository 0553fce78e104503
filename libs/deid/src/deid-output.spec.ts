import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { removeInterruptedOutputs, writeByRename, writeDeidOutput } from './deid-output';

const ids = { patientPseudonym: 'PSEUDO1', studyInstanceUid: '2.25.1', seriesInstanceUid: '2.25.2', sopInstanceUid: '2.25.3', sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1', modality: 'DX' };

describe('de-identified output on disk', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'deid-output-'));
  });

  it('writes the object under pseudonym/study/series/instance.dcm and leaves no temporary', async () => {
    const path = await writeDeidOutput(root, ids, Buffer.from('part10'));
    expect(path).toBe(join(root, 'PSEUDO1', '2.25.1', '2.25.2', '2.25.3.dcm'));
    expect(readFileSync(path, 'utf8')).toBe('part10');
    expect(readdirSync(join(root, 'PSEUDO1', '2.25.1', '2.25.2'))).toEqual(['2.25.3.dcm']);
  });

  it('removes its temporary when the rename fails, and keeps what was under the final name', async () => {
    const final = join(root, 'taken');
    mkdirSync(join(final, 'inside'), { recursive: true });
    await expect(writeByRename(final, Buffer.from('x'))).rejects.toThrow();
    expect(readdirSync(root)).toEqual(['taken']);
    expect(readdirSync(final)).toEqual(['inside']);
  });

  it('streams to the final name by a temporary, and removes the temporary when the stream fails', async () => {
    const archive = join(root, 'delivery.zip');
    await writeByRename(archive, Readable.from([Buffer.from('PK'), Buffer.from('rest')]));
    expect(readFileSync(archive, 'utf8')).toBe('PKrest');
    const failing = new Readable({
      read() {
        this.push(Buffer.from('half'));
        this.destroy(new Error('zip stream failed'));
      },
    });
    await expect(writeByRename(join(root, 'other.zip'), failing)).rejects.toThrow('zip stream failed');
    expect(readdirSync(root)).toEqual(['delivery.zip']);
  });

  it('removes the temporaries interrupted writes left, at any depth, and nothing else; answers the objects in path order', async () => {
    const series = join(root, 'PSEUDO1', '2.25.1', '2.25.2');
    mkdirSync(series, { recursive: true });
    writeFileSync(join(series, '2.25.3.dcm'), 'done');
    writeFileSync(join(series, '2.25.4.dcm.0badcafe.tmp'), 'half');
    writeFileSync(join(root, 'manifest.csv.1234abcd.tmp'), 'half');
    writeFileSync(join(series, 'notes.tmp'), 'not ours');
    const tree = await removeInterruptedOutputs(root);
    expect(tree.interrupted).toEqual([join(root, 'manifest.csv.1234abcd.tmp'), join(series, '2.25.4.dcm.0badcafe.tmp')]);
    expect(tree.files).toEqual([join(series, '2.25.3.dcm')]);
    expect(readdirSync(series).sort()).toEqual(['2.25.3.dcm', 'notes.tmp']);
    expect(existsSync(join(root, 'manifest.csv.1234abcd.tmp'))).toBe(false);
    expect(await removeInterruptedOutputs(join(root, 'missing'))).toEqual({ files: [], interrupted: [] });
  });
});
