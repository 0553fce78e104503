/**
 * DICOMweb (QIDO-RS, WADO-RS, STOW-RS) end to end, against real PostgreSQL and Redis: objects go in
 * through STOW-RS, an in-process BullMQ worker indexes them as apps/worker would, and they come
 * back out through QIDO-RS and WADO-RS byte for byte.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { parse } from 'yaml';
import { ConfigModule } from '@krypton/config';
import { CatalogModule, CatalogService } from '@krypton/catalog';
import { DatabaseModule, migrate } from '@krypton/database';
import { instanceKey, StorageModule } from '@krypton/storage';
import { INDEX_QUEUE, IndexJobData, QueueModule, redisConnection } from '@krypton/queue';
import { IngestModule } from '@krypton/ingest';
import { AuthModule } from '@krypton/auth';
import { AuthGuard } from '@krypton/auth';
import { AccessGuard, AccessModule } from '@krypton/access';
import { loggingModule } from '@krypton/logging';
import { nativePixels, readPart10 } from '@krypton/dicom-codec';
import { DicomwebModule } from '../apps/api/src/dicomweb/dicomweb.module';
import { configureApp } from '../apps/api/src/bootstrap';
import { closingDelimiter, partOpening, readMultipart } from '../apps/api/src/dicomweb/multipart-related';
import { binaryChunks } from '../apps/api/src/dicomweb/dicom-json';
import { syntheticPart10 } from '../libs/deid/src/testing/synthetic-part10';
import { testDatabaseUrl, testRedisUrl } from './support/env';

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, '../shared/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const VENV_PYTHON = join(ROOT, '.venv/bin/python');
const DB_URL = testDatabaseUrl('dicomweb');
const REDIS_URL = testRedisUrl(5);
const TOKEN = 'demo-admin-token';
const auth = { Authorization: `Bearer ${TOKEN}` };

const FILES = {
  ctPhilips: join(DATA, 'images/CT-SC-Philips_Brilliance16P.dcm'),
  dx: join(DATA, 'images/DX-Im-GE_XR220-1.dcm'),
  mg: join(DATA, 'images/MG-Im-GE_Seno_1_ForPresentation.dcm'),
  nm: join(DATA, 'images/NM-NmIm-Siemens.dcm'),
  rdsr: join(DATA, 'rdsr/CT-RDSR-GEPixelMed.dcm'),
  ctSmall: join(PYDICOM, 'CT_small.dcm'),
  j2k: join(PYDICOM, 'JPEG2000.dcm'),
  rle: join(PYDICOM, 'SC_rgb_rle_2frame.dcm'),
};
type Name = keyof typeof FILES;

const tmp = mkdtempSync(join(tmpdir(), 'krypton-dicomweb-'));
const STORAGE = join(tmp, 'storage');

interface Sample {
  readonly bytes: Buffer;
  readonly study: string;
  readonly series: string;
  readonly sop: string;
  readonly ts: string;
  readonly pixels: Buffer[] | null;
}

function sample(path: string): Sample {
  const bytes = readFileSync(path);
  const p = readPart10(bytes);
  const px = p.dict['7FE00010'];
  return {
    bytes,
    study: p.dataset.StudyInstanceUID,
    series: p.dataset.SeriesInstanceUID,
    sop: p.dataset.SOPInstanceUID,
    ts: p.meta.TransferSyntaxUID,
    pixels: px ? (Array.isArray(px.Value) ? px.Value : [px.Value]).map((v) => Buffer.concat(binaryChunks(v))) : null,
  };
}

const S = Object.fromEntries(Object.entries(FILES).map(([k, p]) => [k, sample(p)])) as Record<Name, Sample>;

function multipartBody(parts: Buffer[], boundary = 'e2e-boundary'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  parts.forEach((p, i) => chunks.push(partOpening(boundary, i, { 'Content-Type': 'application/dicom' }), p));
  chunks.push(closingDelimiter(boundary));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

async function parts(res: Response): Promise<{ headers: Record<string, string>; body: Buffer }[]> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(res.headers.get('content-type') ?? '')?.[2];
  if (!boundary) throw new Error(`not multipart: ${res.headers.get('content-type')}`);
  const buf = Buffer.from(await res.arrayBuffer());
  const out = [];
  for await (const p of readMultipart(
    (async function* () {
      yield buf;
    })(),
    boundary,
    { maxTotalBytes: 1e10, maxPartBytes: 1e10 },
  ))
    out.push(p);
  return out;
}

describe('DICOMweb (e2e)', () => {
  let app: INestApplication;
  let base: string;
  let worker: Worker<IndexJobData>;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { ...auth, ...headers } });
  const stow = (files: Buffer[], path = '/studies') => {
    const { body, contentType } = multipartBody(files);
    return fetch(`${base}${path}`, { method: 'POST', body, headers: { ...auth, 'Content-Type': contentType, Accept: 'application/dicom+json' } });
  };
  const json = async (path: string) => {
    const res = await get(path, { Accept: 'application/dicom+json' });
    return res.status === 204 ? [] : ((await res.json()) as any[]);
  };
  const waitFor = async (path: string, count: number) => {
    for (let i = 0; i < 200; i++) {
      if ((await json(path)).length >= count) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${path} never reached ${count} results`);
  };

  beforeAll(async () => {
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    const configPath = join(tmp, 'krypton.yaml');
    writeFileSync(configPath, JSON.stringify({ sites: demo.sites, users: demo.users, pathway: demo.pathway, dicom: { minFreeSpaceMb: 0 } }));
    Object.assign(process.env, { KRYPTON_CONFIG: configPath, DATABASE_URL: DB_URL, REDIS_URL, STORAGE_ROOT: STORAGE, LOG_LEVEL: 'warn' });

    await migrate(DB_URL);
    const pg = new Client({ connectionString: DB_URL });
    await pg.connect();
    await pg.query('TRUNCATE patient, study, series, instance RESTART IDENTITY CASCADE');
    await pg.end();
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();

    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, AuthModule, DatabaseModule, CatalogModule, AccessModule, StorageModule, QueueModule, IngestModule, DicomwebModule, loggingModule('api')],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/dicomweb`;

    // What apps/worker's IndexProcessor does with each queued instance (minus the "study stable" timer).
    const catalog = app.get(CatalogService);
    worker = new Worker<IndexJobData>(INDEX_QUEUE, async (job) => catalog.indexBatch(job.data.items), { connection: redisConnection(REDIS_URL), prefix: 'krypton' });
  }, 60000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  it('requires a bearer token, with a DICOMweb-shaped error', async () => {
    const res = await fetch(`${base}/studies`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/bearer token/), status: 401 });
    expect(res.headers.get('warning')).toMatch(/^299 /);
  });

  it('STOW-RS stores every part and answers 200 with their RetrieveURLs', async () => {
    const names = Object.keys(FILES) as Name[];
    const res = await stow(names.map((n) => S[n].bytes));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
    const body = (await res.json()) as any;
    const refs = body['00081199'].Value;
    expect(refs.map((r: any) => r['00081155'].Value[0]).sort()).toEqual(names.map((n) => S[n].sop).sort());
    const ct = refs.find((r: any) => r['00081155'].Value[0] === S.ctSmall.sop);
    expect(ct['00081190'].Value[0]).toBe(`${base}/studies/${S.ctSmall.study}/series/${S.ctSmall.series}/instances/${S.ctSmall.sop}`);
    expect(body['00081198']).toBeUndefined();
    await waitFor('/instances', names.length);
  });

  it('STOW-RS answers 202 for a mix and 409 when nothing is stored, indexing nothing half-written', async () => {
    const rtdose = readFileSync(join(PYDICOM, 'rtdose.dcm'));
    // Cut inside the last element (the dose grid): dcmjs alone would zero-fill it; the hub must refuse it.
    const truncated = rtdose.subarray(0, rtdose.length - 10);
    const truncatedSop = readPart10(rtdose, { untilPixelData: true }).dataset.SOPInstanceUID;
    const mixed = await stow([S.ctSmall.bytes, Buffer.from('this is not DICOM at all'), truncated]);
    expect(mixed.status).toBe(202);
    expect(mixed.headers.get('warning')).toMatch(/not a DICOM Part 10 object.*data set truncated/);
    const body = (await mixed.json()) as any;
    expect(body['00081199'].Value).toHaveLength(1);
    expect(body['00081198'].Value.map((f: any) => f['00081197'].Value[0])).toEqual([0xc000, 0xc000]);

    const none = await stow([Buffer.from('garbage')]);
    expect(none.status).toBe(409);
    expect(((await none.json()) as any)['00081198'].Value).toHaveLength(1);

    // Only a complete, readable object reaches storage and the index.
    expect(existsSync(join(STORAGE, instanceKey(truncatedSop)))).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(await json(`/instances?SOPInstanceUID=${truncatedSop}`)).toEqual([]);
  });

  it('STOW-RS to /studies/{study} refuses a part of another study (0xA900)', async () => {
    const res = await stow([S.ctSmall.bytes], `/studies/${S.mg.study}`);
    expect(res.status).toBe(409);
    const failed = ((await res.json()) as any)['00081198'].Value[0];
    expect(failed['00081197'].Value).toEqual([0xa900]);
    expect(failed['00081155'].Value).toEqual([S.ctSmall.sop]);
    expect(res.headers.get('warning')).toMatch(/does not match the study of the request/);
    expect((await stow([S.mg.bytes], `/studies/${S.mg.study}`)).status).toBe(200);
  });

  it('STOW-RS refuses a body that is not multipart/related', async () => {
    const res = await fetch(`${base}/studies`, { method: 'POST', body: S.ctSmall.bytes, headers: { ...auth, 'Content-Type': 'application/dicom' } });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).status).toBe(415);
  });

  it('QIDO-RS matches studies by keyword, tag, wildcard, date range and modality', async () => {
    const byName = await json('/studies?PatientName=compressedsamples*');
    expect(byName.map((s) => s['0020000D'].Value[0]).sort()).toEqual([S.ctSmall.study, S.j2k.study].sort());
    const study = byName.find((s) => s['0020000D'].Value[0] === S.ctSmall.study);
    expect(study['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
    expect(study['00201208']).toEqual({ vr: 'IS', Value: [1] });
    expect(study['00081190']).toEqual({ vr: 'UR', Value: [`${base}/studies/${S.ctSmall.study}`] });

    expect((await json('/studies?00100020=1CT1')).map((s) => s['0020000D'].Value[0])).toEqual([S.ctSmall.study]);
    const january2004 = await json('/studies?StudyDate=20040101-20040131');
    expect(january2004.map((s) => s['0020000D'].Value[0])).toEqual([S.ctSmall.study]);
    const mg = await json('/studies?ModalitiesInStudy=MG');
    expect(mg.map((s) => s['0020000D'].Value[0])).toEqual([S.mg.study]);
    expect(mg[0]['00080061'].Value).toEqual(['MG']);
    expect(await get('/studies?PatientID=NOBODY')).toMatchObject({ status: 204 });
  });

  it('QIDO-RS pages with limit and offset and honours includefield', async () => {
    const all = await json('/studies');
    expect(all.length).toBe(Object.keys(FILES).length);
    const page = await json('/studies?limit=2&offset=1');
    expect(page.map((s) => s['0020000D'].Value[0])).toEqual(all.slice(1, 3).map((s) => s['0020000D'].Value[0]));

    const plain = await json(`/studies/${S.nm.study}/series`);
    expect(plain[0]['00100010']).toBeUndefined();
    expect(plain[0]['00080060']).toEqual({ vr: 'CS', Value: ['NM'] });
    const withName = await json(`/studies/${S.nm.study}/series?includefield=PatientName,00100020`);
    expect(withName[0]['00100010']).toBeDefined();
    expect(withName[0]['00100020']).toBeDefined();
    const everything = await json(`/studies/${S.nm.study}/series/${S.nm.series}/instances?includefield=all`);
    expect(everything[0]['00280008']).toEqual({ vr: 'IS', Value: [2] });
    expect(everything[0]['00083002']).toEqual({ vr: 'UI', Value: [S.nm.ts] });
    expect(everything[0]['00081190'].Value[0]).toBe(`${base}/studies/${S.nm.study}/series/${S.nm.series}/instances/${S.nm.sop}`);
    expect((await json(`/series?Modality=SR&fuzzymatching=true`)).map((s) => s['0020000E'].Value[0])).toEqual([S.rdsr.series]);
    expect((await json(`/studies/${S.ctSmall.study}/instances`)).map((i) => i['00080018'].Value[0])).toEqual([S.ctSmall.sop]);
  });

  it('QIDO-RS answers 400 naming the bad parameter', async () => {
    for (const [query, parameter] of [
      ['StudyDate=2024-01-01', 'StudyDate'],
      ['NoSuchAttribute=1', 'NoSuchAttribute'],
      ['limit=many', 'limit'],
    ]) {
      const res = await get(`/studies?${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body).toEqual({ error: expect.stringContaining(parameter), status: 400 });
    }
  });

  it('WADO-RS returns an instance byte for byte, and whole studies', async () => {
    const ohif = 'multipart/related; type="application/dicom"; transfer-syntax=*';
    for (const n of ['ctSmall', 'j2k', 'rle'] as Name[]) {
      const res = await get(`/studies/${S[n].study}/series/${S[n].series}/instances/${S[n].sop}`, { Accept: ohif });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
      const [part, ...rest] = await parts(res);
      expect(rest).toHaveLength(0);
      expect(part.headers['content-type']).toBe(`application/dicom; transfer-syntax=${S[n].ts}`);
      expect(part.body.equals(S[n].bytes)).toBe(true);
    }
    const study = await parts(await get(`/studies/${S.mg.study}`, { Accept: '*/*' }));
    expect(study.map((p) => p.body.equals(S.mg.bytes))).toEqual([true]);
  });

  it('WADO-RS of a large study to a slow client: every instance byte for byte (read buffers are used again only once written)', async () => {
    // 60 instances of 1 MB with bytes of their own: more than the read-ahead (32 MiB) and the
    // socket's buffers hold, so the buffers the hub reads into go round several times while the
    // client lags; a buffer used again before the socket had written it would corrupt a part.
    const study = '2.25.81118231771183927164000000000000000001';
    const series = `${study}.1`;
    const objects = Array.from({ length: 60 }, (_, i) =>
      syntheticPart10({
        '00080016': { vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
        '00080018': { vr: 'UI', value: `${series}.${i + 1}` },
        '00080060': { vr: 'CS', value: 'OT' },
        '00100020': { vr: 'LO', value: 'SLOW-CLIENT' },
        '0020000D': { vr: 'UI', value: study },
        '0020000E': { vr: 'UI', value: series },
        '00280002': { vr: 'US', value: 1 },
        '00280010': { vr: 'US', value: 512 },
        '00280011': { vr: 'US', value: 1024 },
        '00280100': { vr: 'US', value: 16 },
        '00280101': { vr: 'US', value: 16 },
        '00280102': { vr: 'US', value: 15 },
        '00280103': { vr: 'US', value: 0 },
        '00280004': { vr: 'CS', value: 'MONOCHROME2' },
        '7FE00010': { vr: 'OW', value: randomBytes(512 * 1024 * 2) },
      }),
    );
    for (let i = 0; i < objects.length; i += 10) expect((await stow(objects.slice(i, i + 10))).status).toBe(200);
    await waitFor(`/studies/${study}/instances`, objects.length);

    const answer = await new Promise<Response>((resolve, reject) => {
      const req = httpGet(`${base}/studies/${study}`, { headers: { ...auth, Accept: 'multipart/related; type="application/dicom"' } }, (res) => {
        const chunks: Buffer[] = [];
        // The client takes a chunk every few milliseconds: the hub's socket stays full.
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          res.pause();
          setTimeout(() => res.resume(), 2);
        });
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: { 'content-type': res.headers['content-type'] ?? '' } })));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(200);
    const got = await parts(answer);
    expect(got).toHaveLength(objects.length);
    const bySop = new Map(objects.map((o) => [readPart10(o).dataset.SOPInstanceUID as string, o]));
    for (const part of got) {
      const sop = readPart10(part.body).dataset.SOPInstanceUID as string;
      expect(part.body.equals(bySop.get(sop)!)).toBe(true);
      bySop.delete(sop);
    }
    expect(bySop.size).toBe(0);
  }, 120_000);

  it('WADO-RS transcodes losslessly to the transfer syntax asked for, answers 406 for a lossy one, 404 for the unknown', async () => {
    const url = `/studies/${S.j2k.study}/series/${S.j2k.series}/instances/${S.j2k.sop}`;
    const res = await get(url, { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1' });
    expect(res.status).toBe(200);
    const [part] = await parts(res);
    expect(part.headers['content-type']).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.1');
    const decoded = readPart10(part.body);
    expect(decoded.meta.TransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(decoded.dataset.SOPInstanceUID).toBe(S.j2k.sop);
    const { Rows, Columns, BitsAllocated, SamplesPerPixel, NumberOfFrames } = decoded.dataset;
    expect((await nativePixels(part.body, '1.2.840.10008.1.2.1'))!.length).toBe(Rows * Columns * (BitsAllocated / 8) * (SamplesPerPixel ?? 1) * Number(NumberOfFrames ?? 1));
    const lossy = await get(url, { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50' });
    expect(lossy.status).toBe(406);
    expect(((await lossy.json()) as any).error).toMatch(/transcoded losslessly/);
    const missing = await get('/studies/1.2.3.4.5.6.7.8.9');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'study 1.2.3.4.5.6.7.8.9 not found', status: 404 });
    expect((await get(`/studies/${S.ctSmall.study}/series/1.2.3/metadata`)).status).toBe(404);
  });

  it('WADO-RS metadata is DICOM JSON whose PixelData BulkDataURI returns the pixel bytes', async () => {
    const res = await get(`/studies/${S.ctSmall.study}/series/${S.ctSmall.series}/instances/${S.ctSmall.sop}/metadata`, { Accept: 'application/dicom+json' });
    expect(res.status).toBe(200);
    const [md] = (await res.json()) as any[];
    expect(md['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
    expect(md['00280010']).toEqual({ vr: 'US', Value: [128] });
    expect(md['00083002']).toEqual({ vr: 'UI', Value: [S.ctSmall.ts] });
    expect(md['00101002'].Value[0]['00100020'].Value).toEqual(['ABCD1234']);
    expect(md['00431028'].InlineBinary).toEqual(expect.any(String));
    const uri: string = md['7FE00010'].BulkDataURI;
    expect(uri).toBe(`${base}/studies/${S.ctSmall.study}/series/${S.ctSmall.series}/instances/${S.ctSmall.sop}/bulk/7FE00010`);
    const [bulk] = await parts(await fetch(uri, { headers: { ...auth, Accept: 'multipart/related; type="application/octet-stream"' } }));
    expect(bulk.body.equals(S.ctSmall.pixels![0])).toBe(true);
    const large = await fetch(md['00431029'].BulkDataURI, { headers: { ...auth, Accept: 'application/octet-stream' } });
    expect(Buffer.from(await large.arrayBuffer())).toHaveLength(2068);

    const series = await json(`/studies/${S.nm.study}/series/${S.nm.series}/metadata`);
    expect(series).toHaveLength(1);
    expect(series[0]['00080018'].Value).toEqual([S.nm.sop]);
  });

  it('WADO-RS metadata is kept after a first request, served from there, and read from the file again once the instance is re-indexed', async () => {
    const path = `/studies/${S.ctSmall.study}/series/${S.ctSmall.series}/metadata`;
    const ofSeries = `(SELECT i.id FROM instance i JOIN series se ON se.id = i.series_fk WHERE se.series_uid = $1)`;
    const pg = new Client({ connectionString: DB_URL });
    await pg.connect();
    try {
      await pg.query(`DELETE FROM instance_metadata WHERE instance_fk IN ${ofSeries}`, [S.ctSmall.series]);
      const fromFiles = await json(path);
      expect(fromFiles[0]['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
      // Kept once the answer is sent.
      let kept = 0;
      for (let i = 0; i < 100 && kept < fromFiles.length; i++) {
        kept = (await pg.query(`SELECT 1 FROM instance_metadata WHERE instance_fk IN ${ofSeries}`, [S.ctSmall.series])).rowCount ?? 0;
        if (kept < fromFiles.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(kept).toBe(fromFiles.length);
      expect(await json(path)).toEqual(fromFiles);
      // Served from what is kept: a change there shows.
      await pg.query(`UPDATE instance_metadata SET json = '{"00100010":{"vr":"PN","Value":[{"Alphabetic":"KEPT^COPY"}]}}' WHERE instance_fk IN ${ofSeries}`, [S.ctSmall.series]);
      expect((await json(path)).map((d) => d['00100010'].Value[0].Alphabetic)).toEqual(fromFiles.map(() => 'KEPT^COPY'));
      // A replaced object is re-indexed with a new received_at: the kept copy no longer holds.
      await pg.query(`UPDATE instance SET received_at = now() WHERE id IN ${ofSeries}`, [S.ctSmall.series]);
      expect(await json(path)).toEqual(fromFiles);
    } finally {
      await pg.end();
    }
  });

  it('WADO-RS frames: native as octet streams, compressed as stored with their transfer syntax', async () => {
    const ohif = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
    const inst = (n: Name) => `/studies/${S[n].study}/series/${S[n].series}/instances/${S[n].sop}`;
    const [ct] = await parts(await get(`${inst('ctSmall')}/frames/1`, { Accept: ohif }));
    expect(ct.headers['content-type']).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(ct.body.equals(S.ctSmall.pixels![0])).toBe(true);

    const nm = await parts(await get(`${inst('nm')}/frames/2,1`, { Accept: ohif }));
    const half = S.nm.pixels![0].length / 2;
    expect(nm[0].body.equals(S.nm.pixels![0].subarray(half))).toBe(true);
    expect(nm[1].body.equals(S.nm.pixels![0].subarray(0, half))).toBe(true);

    const [j2k] = await parts(await get(`${inst('j2k')}/frames/1`, { Accept: ohif }));
    expect(j2k.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${S.j2k.ts}`);
    expect(j2k.body.equals(Buffer.concat(S.j2k.pixels!))).toBe(true);

    const rle = await parts(await get(`${inst('rle')}/frames/1,2`, { Accept: 'multipart/related; type="image/dicom-rle"' }));
    expect(rle.map((p) => p.headers['content-type'])).toEqual([`image/dicom-rle; transfer-syntax=${S.rle.ts}`, `image/dicom-rle; transfer-syntax=${S.rle.ts}`]);
    expect(rle.map((p) => p.body)).toEqual(S.rle.pixels);

    expect((await get(`${inst('ctSmall')}/frames/2`, { Accept: ohif })).status).toBe(404);
    expect((await get(`${inst('j2k')}/frames/1`, { Accept: 'multipart/related; type="application/octet-stream"' })).status).toBe(406);
  });

  const havePython = existsSync(VENV_PYTHON);
  (havePython ? it : it.skip)(
    `the Python dicomweb-client stores, searches and retrieves${havePython ? '' : ' (SKIPPED: no .venv with dicomweb-client)'}`,
    async () => {
      // Asynchronously: the server under test runs in this process and must keep answering.
      const out = await promisify(execFile)(VENV_PYTHON, [join(__dirname, 'fixtures/dicomweb/dicomweb_client_check.py'), base, TOKEN, join(PYDICOM, 'MR_small.dcm')], {
        encoding: 'utf8',
        timeout: 60000,
      });
      expect(JSON.parse(out.stdout)).toEqual({
        storedCount: 1,
        studiesFound: 1,
        seriesFound: 1,
        retrievedSopInstanceUid: readPart10(readFileSync(join(PYDICOM, 'MR_small.dcm')), { untilPixelData: true }).dataset.SOPInstanceUID,
        retrievedPixelsEqual: true,
        metadataPatientName: 'CompressedSamples^MR1',
        emptySearch: [],
      });
    },
    60000,
  );
});
