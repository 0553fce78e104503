import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { readPart10 } from '@krypton/dicom-codec';
import { dcmtk, findResults, startStorescp } from './support/dcmtk';
import { SHARED_DATA, TEST_TEMPORAL_ADDRESS, ROOT } from './support/env';
import { Hub } from './support/hub';
import { freePort } from './support/ports';
import { hangUpRelay, sendRawBytes, storeRawBytes } from './support/raw-dimse';
import { waitFor } from './support/wait-for';
import { recordHistory } from './support/histories';

jest.setTimeout(180_000);

/** Files dcmtk can read (one vendor file in the shared set is malformed even for dcmdump). */
const UNREADABLE = new Set(['MG-Im-Hologic-PropProj.dcm']);
const imageFiles = readdirSync(join(SHARED_DATA, 'images'))
  .filter((f) => !UNREADABLE.has(f))
  .map((f) => join(SHARED_DATA, 'images', f));
const rdsrFiles = readdirSync(join(SHARED_DATA, 'rdsr')).map((f) => join(SHARED_DATA, 'rdsr', f));
const allFiles = [...imageFiles, ...rdsrFiles];

function pixelData(buf: Buffer): Buffer | null {
  const ds = readPart10(buf).dataset;
  const pd = ds.PixelData;
  if (!pd) return null;
  const parts = (Array.isArray(pd) ? pd : [pd]).map((p: ArrayBuffer) => Buffer.from(p));
  return Buffer.concat(parts);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('DICOM gateway (dcmtk against the real hub)', () => {
  const hub = new Hub({ name: 'gateway', redisDb: 1, aes: [] });
  let storescpPort = 0;

  /** The catalogue row of an instance, once the indexer has filed it. */
  async function waitForRow(uid: string): Promise<{ storage_key: string; file_size: string }[]> {
    let rows: { storage_key: string; file_size: string }[] = [];
    await waitFor(`instance ${uid} indexed`, async () => (rows = await hub.sql('SELECT storage_key, file_size FROM instance WHERE sop_instance_uid = $1', [uid])).length === 1);
    return rows;
  }

  beforeAll(async () => {
    storescpPort = await freePort();
    (hub.opts.aes as unknown[]).push({ name: 'ARCHIVE2', aeTitle: 'STORESCP', site: 'chu-nord', host: '127.0.0.1', port: storescpPort, kind: 'pacs' });
    await hub.start();
  });

  afterAll(async () => {
    await hub.stop();
  });

  it('answers C-ECHO for a configured AE', () => {
    expect(dcmtk('echoscu', hub.scu()).status).toBe(0);
  });

  it('rejects an unknown calling AE at association with reason "calling AE not recognised"', () => {
    const r = dcmtk('echoscu', hub.scu('INTRUDER'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Calling AE Title Not Recognized/i);
  });

  it('stores every shared image and dose report, indexes them, and marks studies stable in Temporal', async () => {
    // -R proposes exactly the SOP classes of the files (dcmtk's default list lacks the RRDSR class).
    const r = dcmtk('storescu', [...hub.scu(), '-R', '--no-halt', ...allFiles], 120_000);
    expect(r.stderr).not.toMatch(/Store Failed|Store SCU Failed/);
    expect(r.status).toBe(0);
    const expected = new Set(allFiles.map((f) => readPart10(readFileSync(f), { untilPixelData: true }).dataset.SOPInstanceUID));
    await waitFor('all instances indexed', async () => {
      const rows = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance');
      return Number(rows[0].n) === expected.size;
    });
    const stored = await hub.sql<{ sop_instance_uid: string }>('SELECT sop_instance_uid FROM instance');
    expect(new Set(stored.map((r) => r.sop_instance_uid))).toEqual(expected);

    const studies = await hub.sql<{ study_uid: string }>('SELECT study_uid FROM study');
    // Forty-odd new study workflows on two shared cores: give them time, this is no benchmark.
    await waitFor(
      'studies stable',
      async () => {
        const rows = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM study WHERE stable_at IS NULL');
        return Number(rows[0].n) === 0;
      },
      120_000,
      500,
    );
    const connection = await Connection.connect({ address: TEST_TEMPORAL_ADDRESS });
    const client = new Client({ connection, namespace: hub.namespace });
    const desc = await client.workflow.getHandle(`study-${studies[0].study_uid}`).describe();
    expect(desc.type).toBe('studyLifecycleWorkflow');
    await connection.close();
    await recordHistory(`study-${studies[0].study_uid}`, 'study-lifecycle-stable', hub.namespace);
  });

  it('finds studies by wildcard name, date range and modality (C-FIND study root)', () => {
    const ct = readPart10(readFileSync(join(SHARED_DATA, 'rdsr/CT-RDSR-Siemens_Flash-TAP-SS.dcm')), { untilPixelData: true }).dataset;
    const name: string = ct.PatientName?.[0]?.Alphabetic ?? ct.PatientName;
    const prefix = String(name).slice(0, 3);
    const r = dcmtk('findscu', [
      ...hub.scu(),
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `PatientName=${prefix.toLowerCase()}*`,
      '-k',
      'StudyInstanceUID',
      '-k',
      'StudyDate',
      '-k',
      'ModalitiesInStudy',
      '-k',
      'NumberOfStudyRelatedInstances',
    ]);
    expect(r.status).toBe(0);
    const found = findResults(r.stdout + r.stderr);
    expect(found.map((f) => f.StudyInstanceUID)).toContain(ct.StudyInstanceUID);

    const byDate = findResults(
      ((x) => x.stdout + x.stderr)(dcmtk('findscu', [...hub.scu(), '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyDate=${ct.StudyDate}-${ct.StudyDate}`, '-k', 'StudyInstanceUID'])),
    );
    expect(byDate.length).toBeGreaterThan(0);
    expect(byDate.every((s) => s.StudyDate === ct.StudyDate)).toBe(true);

    const mg = findResults(((x) => x.stdout + x.stderr)(dcmtk('findscu', [...hub.scu(), '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', 'ModalitiesInStudy=MG', '-k', 'StudyInstanceUID'])));
    expect(mg.length).toBeGreaterThan(0);
    expect(mg.every((s) => s.ModalitiesInStudy.split('\\').includes('MG'))).toBe(true);
  });

  it('answers series and image levels, and the patient root model', () => {
    const ds = readPart10(readFileSync(imageFiles[0]), { untilPixelData: true }).dataset;
    const series = findResults(
      ((x) => x.stdout + x.stderr)(
        dcmtk('findscu', [
          ...hub.scu(),
          '-S',
          '-k',
          'QueryRetrieveLevel=SERIES',
          '-k',
          `StudyInstanceUID=${ds.StudyInstanceUID}`,
          '-k',
          'SeriesInstanceUID',
          '-k',
          'Modality',
          '-k',
          'NumberOfSeriesRelatedInstances',
        ]),
      ),
    );
    expect(series.map((s) => s.SeriesInstanceUID)).toContain(ds.SeriesInstanceUID);
    const images = findResults(
      ((x) => x.stdout + x.stderr)(
        dcmtk('findscu', [
          ...hub.scu(),
          '-S',
          '-k',
          'QueryRetrieveLevel=IMAGE',
          '-k',
          `StudyInstanceUID=${ds.StudyInstanceUID}`,
          '-k',
          `SeriesInstanceUID=${ds.SeriesInstanceUID}`,
          '-k',
          'SOPInstanceUID',
        ]),
      ),
    );
    expect(images.map((s) => s.SOPInstanceUID)).toContain(ds.SOPInstanceUID);
    const patients = findResults(((x) => x.stdout + x.stderr)(dcmtk('findscu', [...hub.scu(), '-P', '-k', 'QueryRetrieveLevel=PATIENT', '-k', `PatientID=${ds.PatientID}`, '-k', 'PatientName'])));
    expect(patients).toHaveLength(1);
  });

  it('refuses a malformed query with a failure status, not a crash', () => {
    const r = dcmtk('findscu', ['-v', ...hub.scu(), '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', 'StudyDate=2024-01-01', '-k', 'StudyInstanceUID']);
    expect(r.stdout + r.stderr).toMatch(/Received Final Find Response \(Error: DataSetDoesNotMatchSOPClass\)/);
    expect(dcmtk('echoscu', hub.scu()).status).toBe(0);
  });

  it('returns every instance of a study by C-GET with pixel data identical to what was sent', () => {
    const file = rdsrFiles.find((f) => f.endsWith('CT-RDSR-Siemens_Flash-TAP-SS.dcm')) as string;
    const images = imageFiles.filter((f) => /DX-Im-GE_XR220/.test(f));
    const ds = readPart10(readFileSync(images[0]), { untilPixelData: true }).dataset;
    const out = join(hub.dir, 'cget');
    mkdirSync(out, { recursive: true });
    const r = dcmtk('getscu', [...hub.scu(), '-od', out, '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ds.StudyInstanceUID}`]);
    expect(r.status).toBe(0);
    const uidOf = (b: Buffer) => readPart10(b, { untilPixelData: true }).dataset.SOPInstanceUID as string;
    const got = new Map(
      readdirSync(out)
        .map((f) => readFileSync(join(out, f)))
        .map((b) => [uidOf(b), b]),
    );
    const sent = allFiles.map((f) => readFileSync(f)).filter((b) => readPart10(b, { untilPixelData: true }).dataset.StudyInstanceUID === ds.StudyInstanceUID);
    expect(got.size).toBe(sent.length);
    for (const original of sent) {
      const copy = got.get(uidOf(original)) as Buffer;
      expect(copy).toBeDefined();
      expect(pixelData(copy)?.equals(pixelData(original) as Buffer)).toBe(true);
    }
    expect(file).toBeDefined();
  });

  it("keeps every P-DATA within the peer's maximum PDU length: C-GET and C-MOVE of 0.4–1 MB images to peers announcing 16 KiB", async () => {
    // dcmtk refuses a PDU longer than the maximum it announced (DUL illegal PDU length) and aborts.
    const big = ['NM-PetIm-Siemens.dcm', 'NM-NmIm-Siemens.dcm'].map((n) => imageFiles.find((f) => f.endsWith(n)) as string);
    for (const original of big) {
      const ds = readPart10(readFileSync(original), { untilPixelData: true }).dataset;
      const out = mkdtempSync(join(hub.dir, 'cget-small-pdu-'));
      const r = dcmtk('getscu', [
        '--max-pdu',
        '16384',
        ...hub.scu(),
        '-od',
        out,
        '-k',
        'QueryRetrieveLevel=IMAGE',
        '-k',
        `StudyInstanceUID=${ds.StudyInstanceUID}`,
        '-k',
        `SeriesInstanceUID=${ds.SeriesInstanceUID}`,
        '-k',
        `SOPInstanceUID=${ds.SOPInstanceUID}`,
      ]);
      expect(r.stdout + r.stderr).not.toMatch(/Illegal PDU|PDU length|abort/i);
      expect(r.status).toBe(0);
      const [file] = readdirSync(out);
      expect(file).toBeDefined();
      expect(pixelData(readFileSync(join(out, file)))?.equals(pixelData(readFileSync(original)) as Buffer)).toBe(true);
    }
    const dir = mkdtempSync(join(hub.dir, 'cmove-small-pdu-'));
    const scp = spawn('storescp', ['--max-pdu', '16384', '-aet', 'STORESCP', '-od', dir, String(storescpPort)], { stdio: 'ignore', env: { ...process.env, TCP_NODELAY: '1' } });
    try {
      await waitFor('storescp listening', () => dcmtk('echoscu', ['-aet', 'KRYPTON', '-aec', 'STORESCP', '127.0.0.1', String(storescpPort)]).status === 0);
      const ds = readPart10(readFileSync(big[1]), { untilPixelData: true }).dataset;
      const r = dcmtk('movescu', [...hub.scu(), '-aem', 'STORESCP', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ds.StudyInstanceUID}`]);
      expect(r.status).toBe(0);
      await waitFor('moved file', () => walk(dir).length === 1);
      expect(pixelData(readFileSync(walk(dir)[0]))?.equals(pixelData(readFileSync(big[1])) as Buffer)).toBe(true);
    } finally {
      scp.kill();
    }
  });

  it('moves a study to a configured AE (dcmtk storescp) and refuses an unknown one with 0xA801', async () => {
    const dir = join(hub.dir, 'storescp');
    mkdirSync(dir, { recursive: true });
    const scp = startStorescp('STORESCP', storescpPort, dir);
    try {
      await waitFor('storescp listening', () => dcmtk('echoscu', ['-aet', 'KRYPTON', '-aec', 'STORESCP', '127.0.0.1', String(storescpPort)]).status === 0);
      const ds = readPart10(readFileSync(rdsrFiles[0]), { untilPixelData: true }).dataset;
      const r = dcmtk('movescu', [...hub.scu(), '-aem', 'STORESCP', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ds.StudyInstanceUID}`]);
      expect(r.status).toBe(0);
      const expected = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance i JOIN series s ON s.id = i.series_fk JOIN study st ON st.id = s.study_fk WHERE st.study_uid = $1', [
        ds.StudyInstanceUID,
      ]);
      await waitFor('moved files', () => walk(dir).length === Number(expected[0].n));
      const bad = dcmtk('movescu', ['-v', ...hub.scu(), '-aem', 'NOWHERE', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ds.StudyInstanceUID}`]);
      expect(bad.stdout + bad.stderr).toMatch(/MoveDestinationUnknown|a801/i);
    } finally {
      scp.kill();
    }
  });

  it('keeps the first copy of a duplicate SOP Instance UID and still answers Success', async () => {
    const original = imageFiles.find((f) => f.endsWith('DX-Im-DRGEM.dcm')) as string;
    const copy = join(hub.dir, 'dup.dcm');
    execFileSync('cp', [original, copy]);
    execFileSync('dcmodify', ['-nb', '-m', 'PatientName=CHANGED^NAME', copy]);
    const r = dcmtk('storescu', [...hub.scu(), copy]);
    expect(r.status).toBe(0);
    const uid = readPart10(readFileSync(original), { untilPixelData: true }).dataset.SOPInstanceUID;
    const [row] = await hub.sql<{ storage_key: string }>('SELECT storage_key FROM instance WHERE sop_instance_uid = $1', [uid]);
    expect(readFileSync(join(hub.storageRoot, row.storage_key)).includes(Buffer.from('CHANGED^NAME'))).toBe(false);
  });

  it('refuses garbage, truncated and UID-less data sets with a failure status and indexes none of them', async () => {
    // Not one of the files stored by the suites above, so that nothing of it may be in the index.
    const good = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm');
    const groupLength = good.readUInt32LE(128 + 4 + 8);
    const body = good.subarray(128 + 4 + 12 + groupLength);
    const sopClass = '1.2.840.10008.5.1.4.1.1.7';
    const goodDs = readPart10(good, { untilPixelData: true }).dataset;
    const truncated = await storeRawBytes(hub.dicomPort, 'MODALITY1', goodDs.SOPClassUID, goodDs.SOPInstanceUID, body.subarray(0, body.length - 5000));
    expect(truncated & 0xf000).toBe(0xc000);
    const garbage = await storeRawBytes(hub.dicomPort, 'MODALITY1', sopClass, '1.2.3.999.2', Buffer.from('this is not DICOM at all, not even close!!'));
    expect(garbage & 0xf000).toBe(0xc000);
    // A minimal valid data set without Study/Series Instance UID.
    const noUids = Buffer.concat([
      Buffer.from([0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 0x1a, 0x00]),
      Buffer.from('1.2.840.10008.5.1.4.1.1.7\0'),
      Buffer.from([0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0x0c, 0x00]),
      Buffer.from('1.2.3.999.3\0'),
    ]);
    const missing = await storeRawBytes(hub.dicomPort, 'MODALITY1', sopClass, '1.2.3.999.3', noUids);
    expect(missing & 0xff00).toBe(0xa900);
    const rows = await hub.sql('SELECT 1 FROM instance WHERE sop_instance_uid LIKE $1 OR sop_instance_uid = $2', ['1.2.3.999.%', goodDs.SOPInstanceUID]);
    expect(rows).toHaveLength(0);
    expect(walk(hub.storageRoot).filter((f) => f.includes('1.2.3.999.') || f.includes(goodDs.SOPInstanceUID) || f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps serving after garbage PDUs and a peer that hangs up mid-transfer', async () => {
    await sendRawBytes(hub.dicomPort, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await sendRawBytes(hub.dicomPort, Buffer.from([0x01, 0x00, 0x00, 0x00, 0x10, 0x00]));
    await sendRawBytes(hub.dicomPort, Buffer.concat([Buffer.from([0x04, 0x00, 0x7f, 0xff, 0xff, 0xff]), Buffer.alloc(200, 7)]));
    const big = join(hub.dir, 'big');
    execFileSync(join(ROOT, 'bench/generate-ct.py'), [big, '1', '--frames', '120', '--seed', '7']);
    const file = join(big, readdirSync(big)[0]);
    const uid = readPart10(readFileSync(file), { untilPixelData: true }).dataset.SOPInstanceUID;
    // Cut after 2 MB of the ~60 MB object: the gateway has accepted the association and is
    // receiving the C-STORE when the peer disappears (a timer would race the transfer).
    const relay = await hangUpRelay(hub.dicomPort, 2 * 1024 * 1024);
    const child = spawn('storescu', ['-aet', 'MODALITY1', '-aec', 'KRYPTON', '127.0.0.1', String(relay.port), file], { env: { ...process.env, TCP_NODELAY: '1' }, stdio: 'ignore' });
    await relay.cut;
    relay.close();
    child.kill('SIGKILL');
    expect(dcmtk('echoscu', hub.scu()).status).toBe(0);
    const after = dcmtk('findscu', [...hub.scu(), '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', 'StudyInstanceUID']);
    expect(after.status).toBe(0);
    const rows = await hub.sql('SELECT 1 FROM instance WHERE sop_instance_uid = $1', [uid]);
    expect(rows).toHaveLength(0);
    // The object streamed to its file until the cut: that file is removed, and no temporary one is left.
    await waitFor('the cut-off object removed from storage', () => !walk(hub.storageRoot).some((f) => f.includes(uid) || f.includes('.tmp-')));
    expect(hub.procs.get('dicom-gateway')?.exitCode).toBeNull();
  });

  it('streams an object larger than the PDU, split over many PDVs, to storage byte for byte', async () => {
    const dir = join(hub.dir, 'pdv');
    execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, '1', '--frames', '6', '--seed', '11']);
    const file = join(dir, readdirSync(dir)[0]);
    // 16 KiB PDUs: about 190 PDVs for a 3 MB data set, so every element header may be cut.
    const r = dcmtk('storescu', ['--max-pdu', '16384', ...hub.scu(), file]);
    expect(r.status).toBe(0);
    const uid = readPart10(readFileSync(file), { untilPixelData: true }).dataset.SOPInstanceUID;
    const [row] = await waitForRow(uid);
    const stored = readFileSync(join(hub.storageRoot, row.storage_key));
    expect(Number(row.file_size)).toBe(stored.length);
    expect(pixelData(stored)?.equals(pixelData(readFileSync(file)) as Buffer)).toBe(true);
  });

  it('keeps the gateway memory bounded while it receives a 250 MB multi-frame object', async () => {
    const dir = join(hub.dir, 'huge');
    execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, '1', '--frames', '500', '--seed', '12']);
    const file = join(dir, readdirSync(dir)[0]);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(250 * 1048576);
    const pid = hub.procs.get('dicom-gateway')?.pid as number;
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    const sent = await new Promise<number | null>((resolve) => {
      spawn('storescu', ['-aet', 'MODALITY1', '-aec', 'KRYPTON', '127.0.0.1', String(hub.dicomPort), file], { env: { ...process.env, TCP_NODELAY: '1' }, stdio: 'ignore' }).on('exit', resolve);
    });
    clearInterval(sampler);
    expect(sent).toBe(0);
    const uid = readPart10(readFileSync(file), { untilPixelData: true }).dataset.SOPInstanceUID;
    const [row] = await waitForRow(uid);
    expect(statSync(join(hub.storageRoot, row.storage_key)).size).toBe(Number(row.file_size));
    // Buffered whole, the object alone would add its 250 MB; streamed, a few PDUs and write queue.
    expect(peak - before).toBeLessThan(64 * 1048576);
  });

  it('rebuilds lost catalogue rows from storage with `krypton reindex`', async () => {
    const before = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance');
    await hub.sql('DELETE FROM instance WHERE id IN (SELECT id FROM instance ORDER BY id DESC LIMIT 5)');
    const r = hub.cli(['reindex']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ unreadable: 0 });
    const after = await hub.sql<{ n: string }>('SELECT count(*) AS n FROM instance');
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers "out of resources" (0xA700) when the storage volume is (nearly) full, and stores nothing', async () => {
    await hub.stopApp('dicom-gateway');
    // More free space required than any disk has: the same path as a full volume.
    hub.startApp('dicom-gateway', { DICOM_MIN_FREE_SPACE_MB: '1000000000' });
    try {
      await waitFor('gateway back', () => dcmtk('echoscu', hub.scu()).status === 0);
      const big = join(hub.dir, 'full');
      execFileSync(join(ROOT, 'bench/generate-ct.py'), [big, '1', '--seed', '8']);
      const file = join(big, readdirSync(big)[0]);
      const r = dcmtk('storescu', ['-v', ...hub.scu(), file]);
      expect(r.stdout + r.stderr).toMatch(/Received Store Response \(Refused: OutOfResources\)|0xa700/i);
      const uid = readPart10(readFileSync(file), { untilPixelData: true }).dataset.SOPInstanceUID;
      expect(walk(hub.storageRoot).some((f) => f.includes(uid))).toBe(false);
    } finally {
      await hub.stopApp('dicom-gateway');
      hub.startApp('dicom-gateway');
      await waitFor('gateway back', () => dcmtk('echoscu', hub.scu()).status === 0);
    }
  });
});
