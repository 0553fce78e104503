import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../../../..');

/** The exact command line of the issue, through npm, as an operator types it. */
async function krypton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'krypton', '--', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

describe('krypton deid (spawned through npm run krypton)', () => {
  const work = mkdtempSync(join(tmpdir(), 'krypton-deid-'));
  const secret = join(work, 'secret');
  writeFileSync(secret, 'a-project-secret-of-enough-length\n');
  const inputs = ['../shared/data/rdsr/CT-RDSR-GEPixelMed.dcm', '../shared/data/rdsr/RF-RDSR-GE.dcm', '../shared/data/images/DX-Im-DRGEM.dcm'];

  it('writes one file per exported instance, prints the JSON summary last, exit 0; same secret and project, same output names', async () => {
    const out1 = join(work, 'out1');
    const out2 = join(work, 'out2');
    const first = await krypton(['deid', ...inputs, '--out', out1, '--project', 'p-7', '--secret-file', secret, '--options', 'retain-longitudinal-modified-dates,clean-structured-content']);
    expect(first.code).toBe(0);
    expect(lastLine(first.stdout)).toEqual({ exported: 3, quarantined: [], failed: [] });
    const second = await krypton(['deid', ...inputs, '--out', out2, '--project', 'p-7', '--secret-file', secret, '--options', 'retain-longitudinal-modified-dates,clean-structured-content']);
    expect(second.code).toBe(0);
    const names = (dir: string) =>
      filesUnder(dir)
        .map((f) => f.slice(dir.length))
        .sort();
    expect(names(out1)).toHaveLength(3);
    expect(names(out2)).toEqual(names(out1));
    for (const f of filesUnder(out1)) expect(readFileSync(f).toString('latin1', 128, 132)).toBe('DICM');
    // A run interrupted between a temporary and its rename left half a file: the next run into
    // the same folder removes it and writes the file whole.
    const first1 = filesUnder(out1)[0];
    writeFileSync(`${first1}.0badcafe.tmp`, 'half');
    const again = await krypton(['deid', ...inputs, '--out', out1, '--project', 'p-7', '--secret-file', secret, '--options', 'retain-longitudinal-modified-dates,clean-structured-content']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('removed 1 partial file(s)');
    expect(names(out1)).toEqual(names(out2));
    const otherProject = join(work, 'out3');
    await krypton(['deid', inputs[0], '--out', otherProject, '--project', 'p-8', '--secret-file', secret]);
    // Another project keys its own pseudonyms: the patient folder differs.
    expect(readdirSync(out1)).not.toContain(readdirSync(otherProject)[0]);
  }, 120_000);

  it('reports unreadable inputs in failed[] with exit 1, and a bad option as a usage error', async () => {
    const r = await krypton(['deid', '../shared/data/images/MG-Im-Hologic-PropProj.dcm', join(work, 'missing.dcm'), '--out', join(work, 'out4'), '--secret-file', secret]);
    expect(r.code).toBe(1);
    const summary = lastLine(r.stdout);
    expect(summary.exported).toBe(0);
    expect(summary.failed.map((f: { file: string }) => f.file)).toEqual(['../shared/data/images/MG-Im-Hologic-PropProj.dcm', join(work, 'missing.dcm')]);
    const bad = await krypton(['deid', inputs[0], '--out', join(work, 'out5'), '--options', 'retain-everything']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown de-identification option "retain-everything"');
  }, 120_000);
});
