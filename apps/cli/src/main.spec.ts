import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { main } from './main';

const ROOT = resolve(__dirname, '../../..');
const RDSR = '../shared/data/rdsr';

/** Runs the real CLI from the project root, as an operator would. */
async function krypton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['ts-node', '-r', 'tsconfig-paths/register', '--transpile-only', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('krypton dose extract --json (spawned)', () => {
  it('prints one record per file in input order, with per-file errors', async () => {
    const files = [`${RDSR}/RF-RDSR-GE.dcm`, `${RDSR}/ESR_non-dose.dcm`, `${RDSR}/does-not-exist.dcm`, `${RDSR}/CT-RDSR-GEPixelMed.dcm`, `${RDSR}/NM-RRDSR-Siemens.dcm`];
    const { code, stdout } = await krypton(['dose', 'extract', ...files, '--json']);
    expect(code).toBe(1); // one file failed; the others were still extracted
    const out = JSON.parse(stdout);
    expect(out.map((r: { file: string }) => r.file)).toEqual(files);
    expect(out.map((r: { kind: string | null }) => r.kind)).toEqual(['PROJECTION', 'NOT_DOSE', null, 'CT', 'NM']);

    expect(out[0]).toMatchObject({
      sopInstanceUid: '1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.13.0',
      studyInstanceUid: '1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.4.0',
      deviceObserverUid: '1.3.6.1.4.1.45593.912345678.9876543123',
      totals: {
        eventCount: 8,
        dlpTotal_mGy_cm: null,
        dapTotal_Gy_m2: 0.00024126,
        rpDoseTotal_Gy: 0.0117317,
        fluoroTime_s: 72.46,
        agdTotal_mGy: null,
      },
    });
    expect(out[0].events[0]).toMatchObject({
      irradiationEventUid: '1.3.6.1.4.1.5962.99.1.3577657414.286912992.1554060884038.5.0',
      ctdiVol_mGy: null,
      dlp_mGy_cm: null,
      dap_Gy_m2: 0.00002206,
      rpDose_Gy: 0.00107252,
      agd_mGy: null,
    });
    expect(out[1].events).toEqual([]);
    expect(out[2].error).toMatch(/cannot read file/);
    expect(out[3].totals).toMatchObject({ eventCount: 2, dlpTotal_mGy_cm: 586.34 });
    expect(out[3].events[0]).toMatchObject({ ctdiVol_mGy: 60.41, dlp_mGy_cm: 475.04 });
    expect(out[4].events[0].irradiationEventUid).toBe('1.3.12.2.1107.5.1.4.11090.20220224104830.0');
  }, 60_000);

  it('prints a table without --json', async () => {
    const { code, stdout } = await krypton(['dose', 'extract', `${RDSR}/CT-RDSR-GEPixelMed.dcm`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/KIND/);
    expect(stdout).toMatch(/CT-RDSR-GEPixelMed\.dcm\s+CT\s+rdsr\s+2\s+586\.34/);
  }, 60_000);

  it('exits 2 with the usage on an unknown command', async () => {
    const { code, stderr } = await krypton(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Usage:/);
  }, 60_000);
});

describe('krypton dispatcher (in process)', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
  };

  it('rejects an unknown option of a command with exit 2', async () => {
    const { out, io } = capture();
    expect(await main(['dose', 'extract', '--bogus', 'x.dcm'], io)).toBe(2);
    expect(out.stderr).toMatch(/unknown option --bogus/);
  });

  it('rejects dose extract without files with exit 2', async () => {
    const { io } = capture();
    expect(await main(['dose', 'extract', '--json'], io)).toBe(2);
  });

  it('prints usage on help with exit 0', async () => {
    const { out, io } = capture();
    expect(await main(['help'], io)).toBe(0);
    expect(out.stdout).toMatch(/krypton dose extract/);
  });
});
