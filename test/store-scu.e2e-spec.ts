import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitPart10, TS } from '@krypton/dicom-codec';
import { storeFiles, StoreFile } from '@krypton/dicom-network';
import { dcmtk } from './support/dcmtk';
import { freePort } from './support/ports';
import { waitFor } from './support/wait-for';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const CT_CLASS = '1.2.840.10008.5.1.4.1.1.2';
const MR_CLASS = '1.2.840.10008.5.1.4.1.1.4';

/** Two SOP classes, explicit VR little endian, as the catalogue describes them to the sender. */
const FILES: StoreFile[] = [
  { sopInstanceUid: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322', path: join(PYDICOM, 'CT_small.dcm'), sopClassUid: CT_CLASS, transferSyntaxUid: TS.ExplicitVRLittleEndian },
  { sopInstanceUid: '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', path: join(PYDICOM, 'MR_small.dcm'), sopClassUid: MR_CLASS, transferSyntaxUid: TS.ExplicitVRLittleEndian },
];

async function storescp(args: string[]): Promise<{ port: number; dir: string; proc: ChildProcess }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'store-scu-'));
  const proc = spawn('storescp', ['-aet', 'DEST', '-od', dir, ...args, String(port)], { stdio: 'ignore' });
  await waitFor('storescp', () => dcmtk('echoscu', ['-aet', 'X', '-aec', 'DEST', '127.0.0.1', String(port)]).status === 0);
  return { port, dir, proc };
}

const received = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f)));

/**
 * The C-STORE SCU (storeFiles) against dcmtk storescp: files of several SOP classes over one
 * association, their data sets on the wire exactly as stored; and, when the destination takes
 * another transfer syntax only, the files still delivered, transcoded.
 */
describe('C-STORE SCU (storeFiles) against dcmtk storescp', () => {
  const running: ChildProcess[] = [];
  afterAll(() => running.forEach((p) => p.kill()));

  it('sends files of two SOP classes with their data sets byte for byte as stored', async () => {
    const scp = await storescp(['+B']);
    running.push(scp.proc);
    const answered: string[] = [];
    const results = await storeFiles({ host: '127.0.0.1', port: scp.port, aeTitle: 'DEST' }, FILES, { callingAeTitle: 'KRYPTON', onResult: (r) => void answered.push(r.sopInstanceUid) });
    expect(results).toEqual(FILES.map((f) => ({ sopInstanceUid: f.sopInstanceUid, status: 0, detail: null })));
    expect(answered).toEqual(FILES.map((f) => f.sopInstanceUid));
    const bodies = received(scp.dir).map((b) => splitPart10(b).body);
    for (const f of FILES) expect(bodies.some((b) => b.equals(splitPart10(readFileSync(f.path)).body))).toBe(true);
  });

  it('transcodes for a destination that takes implicit VR little endian only', async () => {
    const scp = await storescp(['+xi']);
    running.push(scp.proc);
    const results = await storeFiles({ host: '127.0.0.1', port: scp.port, aeTitle: 'DEST' }, FILES, { callingAeTitle: 'KRYPTON' });
    expect(results.map((r) => [r.sopInstanceUid, r.status])).toEqual(FILES.map((f) => [f.sopInstanceUid, 0]));
    const got = received(scp.dir);
    expect(got).toHaveLength(2);
    for (const b of got) expect(splitPart10(b).transferSyntaxUid).toBe(TS.ImplicitVRLittleEndian);
  });
});
