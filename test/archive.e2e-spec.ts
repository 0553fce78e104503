import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { nativePixels, readPart10 } from '@krypton/dicom-codec';
import { ARCHIVE_COMPRESSED_SUFFIX, instanceKey } from '@krypton/storage';
import { readMultipart } from '../apps/api/src/dicomweb/multipart-related';
import { dcmtk } from './support/dcmtk';
import { SHARED_DATA, TEST_DATA_DIR } from './support/env';
import { Hub } from './support/hub';
import { MotoS3 } from './support/moto-s3';
import { recordHistory } from './support/histories';
import { archiveWorkflowId } from '@krypton/workflows/archive';
import { waitFor } from './support/wait-for';

jest.setTimeout(300_000);

const ELE = '1.2.840.10008.1.2.1';
const JLS = '1.2.840.10008.1.2.4.80';
/** Native PET image (Explicit VR Little Endian), sent by MODALITY1 (site chu-nord: moved to the archive tier). */
const PET = join(SHARED_DATA, 'images/NM-PetIm-GE.dcm');
/** Sent by MODALITY2 (site clinique-sud: deleted half a minute after its last access, unless held). */
const DX = join(SHARED_DATA, 'images/DX-Im-Carestream_DR7500-1.dcm');
/** 0.0002 days = 17 s without access before the move; 1e-6 years = 32 s of retention. */
const TIER_AFTER_DAYS = 0.0002;
const RETAIN_YEARS = 0.000001;

function uids(path: string) {
  const d = readPart10(readFileSync(path)).dataset;
  return { study: d.StudyInstanceUID as string, series: d.SeriesInstanceUID as string, sop: d.SOPInstanceUID as string };
}

async function parts(res: Response): Promise<{ headers: Record<string, string>; body: Buffer }[]> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(res.headers.get('content-type') ?? '')?.[2];
  if (!boundary) throw new Error(`not multipart (${res.status}): ${await res.text()}`);
  const buf = Buffer.from(await res.arrayBuffer());
  const out = [];
  for await (const p of readMultipart(
    (async function* () {
      yield buf;
    })(),
    boundary,
    { maxTotalBytes: 1e9, maxPartBytes: 1e9 },
  ))
    out.push(p);
  return out;
}

describe.each([['folder'], ['s3']] as const)('archive lifecycle on the real hub, archive tier in a %s', (kind) => {
  const moto = new MotoS3();
  const bucket = 'krypton-archive';
  let hub: Hub;
  let archiveRoot: string;
  const pet = uids(PET);
  const dx = uids(DX);
  const original = readFileSync(PET);
  let originalPixels: Buffer;

  const status = async (study: string) => (await (await hub.api(`/archive/studies/${study}`)).json()) as any;
  const onArchive = async (key: string) =>
    kind === 'folder'
      ? existsSync(join(archiveRoot, key))
      : moto
          .client()
          .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
          .then(
            () => true,
            () => false,
          );

  beforeAll(async () => {
    originalPixels = (await nativePixels(original, ELE))!;
    archiveRoot = mkdtempSync(join(TEST_DATA_DIR, 'archive-tier-'));
    if (kind === 's3') await moto.start(bucket);
    hub = new Hub({
      name: kind === 'folder' ? 'archive' : 'archive-s3',
      redisDb: 13,
      config: {
        archive: {
          enabled: true,
          tier: kind === 'folder' ? { root: archiveRoot } : { s3: { endpoint: moto.endpoint, bucket, accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey } },
          accessFlushSeconds: 0.5,
          sweepSeconds: 1,
          policies: [
            { site: 'chu-nord', tierAfterDays: TIER_AFTER_DAYS },
            { site: 'clinique-sud', retainYears: RETAIN_YEARS },
          ],
        },
      },
    });
    await hub.start();
  });

  afterAll(async () => {
    await hub?.stop();
    await moto.stop();
  });

  it('moves an unread study to the archive tier, JPEG-LS lossless, and audits it', async () => {
    expect(dcmtk('storescu', [...hub.scu('MODALITY1'), PET]).status).toBe(0);
    expect(dcmtk('storescu', [...hub.scu('MODALITY2'), DX]).status).toBe(0);
    // Held at once, before its 32 s of retention run out (see the hold test below).
    await waitFor('DX indexed', async () => (await hub.api(`/dicomweb/studies?StudyInstanceUID=${dx.study}`)).status === 200, 30_000);
    expect(
      (await hub.api(`/archive/studies/${dx.study}/hold`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'litigation 2026-114' }) })).status,
    ).toBe(200);

    await waitFor('PET on the archive tier', async () => (await status(pet.study)).tier === 'archive', 90_000, 500);
    const key = instanceKey(pet.sop);
    expect(existsSync(join(hub.storageRoot, key))).toBe(false);
    expect(await onArchive(`${key}${ARCHIVE_COMPRESSED_SUFFIX}`)).toBe(true);
    const [row] = await hub.sql<{ compressed: boolean; archived_size: string; original_size: string }>('SELECT * FROM archive_instance WHERE sop_instance_uid = $1', [pet.sop]);
    expect(row.compressed).toBe(true);
    expect(Number(row.archived_size)).toBeLessThan(Number(row.original_size) / 2);
    const s = await status(pet.study);
    expect(s.events.map((e: any) => e.step)).toEqual(['tiered']);
    expect(s.events[0].detail).toMatchObject({ instances: 1, compressed: 1, tier: kind === 'folder' ? 'folder' : 's3' });
  });

  it('`krypton reindex` files again a study whose objects only the archive tier holds, after the catalogue lost it', async () => {
    await hub.sql('DELETE FROM archive_instance WHERE study_uid = $1', [pet.study]);
    await hub.sql('DELETE FROM study WHERE study_uid = $1', [pet.study]);
    expect((await hub.api(`/dicomweb/studies?StudyInstanceUID=${pet.study}`)).status).toBe(204);
    const r = hub.cli(['reindex']);
    expect(r.stderr).not.toMatch(/"level":"(warn|error)"/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ unreadable: 0, fromArchive: 1 });
    const [study] = (await (await hub.api(`/dicomweb/studies?StudyInstanceUID=${pet.study}`)).json()) as any[];
    expect(study['0020000D'].Value).toEqual([pet.study]);
    const [inst] = await hub.sql<{ storage_key: string }>('SELECT storage_key FROM instance WHERE sop_instance_uid = $1', [pet.sop]);
    expect(inst.storage_key).toBe(instanceKey(pet.sop));
    const [row] = await hub.sql<{ archive_key: string; compressed: boolean }>('SELECT archive_key, compressed FROM archive_instance WHERE sop_instance_uid = $1', [pet.sop]);
    expect(row).toEqual({ archive_key: `${instanceKey(pet.sop)}${ARCHIVE_COMPRESSED_SUFFIX}`, compressed: true });
    expect((await status(pet.study)).tier).toBe('archive');
    // Still only on the archive tier: reindexing read it there, it did not recall it.
    expect(existsSync(join(hub.storageRoot, instanceKey(pet.sop)))).toBe(false);
  });

  it('answers WADO-RS from the archive tier with pixels identical to the original, in the syntax asked for', async () => {
    const url = `/dicomweb/studies/${pet.study}/series/${pet.series}/instances/${pet.sop}`;
    const [asStored] = await parts(await hub.api(url, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } }));
    expect(asStored.headers['content-type']).toBe(`application/dicom; transfer-syntax=${ELE}`);
    expect((await nativePixels(asStored.body, ELE))!.equals(originalPixels)).toBe(true);
    const [jls] = await parts(await hub.api(url, { headers: { Accept: `multipart/related; type="application/dicom"; transfer-syntax=${JLS}` } }));
    expect(jls.headers['content-type']).toBe(`application/dicom; transfer-syntax=${JLS}`);
    expect(readPart10(jls.body).meta.TransferSyntaxUID).toBe(JLS);
    expect((await nativePixels(jls.body, JLS))!.equals(originalPixels)).toBe(true);
  });

  it('brings the study back to the primary store after that read, and records the read as its last access', async () => {
    await waitFor('PET recalled', async () => (await status(pet.study)).tier === 'primary', 60_000, 300);
    const key = instanceKey(pet.sop);
    expect(existsSync(join(hub.storageRoot, key))).toBe(true);
    expect(await onArchive(`${key}${ARCHIVE_COMPRESSED_SUFFIX}`)).toBe(false);
    const s = await status(pet.study);
    expect(s.events.map((e: any) => e.step)).toEqual(['tiered', 'recalled']);
    expect(Date.parse(s.lastAccessAt)).toBeGreaterThan(Date.parse(s.events[0].at));
    // Planned again from that read: the next move is 17 s after it.
    expect(Date.parse(s.tierAt) - Date.parse(s.lastAccessAt)).toBeCloseTo(TIER_AFTER_DAYS * 86_400_000, -2);
    const restored = readFileSync(join(hub.storageRoot, key));
    expect((await nativePixels(restored, ELE))!.equals(originalPixels)).toBe(true);
  });

  it('serves C-GET transparently while the study is on the archive tier', async () => {
    await waitFor('PET on the archive tier again', async () => (await status(pet.study)).tier === 'archive', 90_000, 500);
    const out = mkdtempSync(join(TEST_DATA_DIR, 'archive-cget-'));
    const r = dcmtk('getscu', ['-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${pet.study}`, '-od', out, ...hub.scu('MODALITY1')]);
    expect(r.status).toBe(0);
    const [file] = readdirSync(out);
    if (!file) throw new Error(`getscu received nothing: ${r.stdout}\n${r.stderr}`);
    const got = readFileSync(join(out, file));
    const ts = readPart10(got).meta.TransferSyntaxUID as string;
    expect((await nativePixels(got, ts))!.equals(originalPixels)).toBe(true);
    await waitFor('PET recalled after C-GET', async () => (await status(pet.study)).tier === 'primary', 60_000, 300);
  });

  it('keeps a study under legal hold past its retention, deletes it once the hold is cleared, and only an admin may hold', async () => {
    const radiologist = { Authorization: 'Bearer demo-radiologist-token', 'content-type': 'application/json' };
    expect((await hub.api(`/archive/studies/${dx.study}/hold`, { method: 'PUT', headers: radiologist, body: JSON.stringify({ reason: 'x' }) })).status).toBe(403);
    expect((await hub.api(`/archive/studies/${dx.study}/hold`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    const held = await status(dx.study);
    await waitFor('retention run out', async () => Date.now() > Date.parse(held.deleteAt) + 3000, 60_000, 500);
    const s = await status(dx.study);
    expect(s).toMatchObject({ tier: 'primary', legalHold: true, holdReason: 'litigation 2026-114' });
    expect(s.workflow.state).toBe('held');
    expect((await hub.api(`/dicomweb/studies?StudyInstanceUID=${dx.study}`)).status).toBe(200);

    expect((await hub.api(`/archive/studies/${dx.study}/hold`, { method: 'DELETE' })).status).toBe(200);
    await waitFor('DX deleted', async () => (await status(dx.study)).tier === 'deleted', 60_000, 300);
    expect((await hub.api(`/dicomweb/studies?StudyInstanceUID=${dx.study}`)).status).toBe(204);
    expect(existsSync(join(hub.storageRoot, instanceKey(dx.sop)))).toBe(false);
    const events = (await status(dx.study)).events;
    expect(events.map((e: any) => [e.step, e.actor])).toEqual([
      ['hold-set', 'demo-admin'],
      ['hold-cleared', 'demo-admin'],
      ['deleted', 'lifecycle'],
    ]);
    expect((await hub.api(`/archive/studies/${dx.study}/hold`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'too late' }) })).status).toBe(409);
    if (kind === 'folder') {
      await recordHistory(archiveWorkflowId(dx.study), 'archive-study-held-then-deleted', hub.namespace);
      await recordHistory(archiveWorkflowId(pet.study), 'archive-study-tiered-recalled-twice', hub.namespace);
    }
  });

  it("writes every lifecycle step to the hub's hash-chained audit trail, naming the patient, and `krypton audit verify` covers them", async () => {
    const trail = (await (await hub.api(`/audit?studyInstanceUid=${pet.study}&limit=500`)).json()) as any[];
    const steps = trail.filter((r) => r.action.startsWith('archive-')).reverse();
    expect(steps.map((r) => r.action).slice(0, 2)).toEqual(['archive-tiered', 'archive-recalled']);
    const patient = (
      await hub.sql<{ key: string }>(`SELECT coalesce(p.ins, p.issuer || '|' || p.patient_id) AS key FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = $1`, [pet.study])
    )[0].key;
    for (const r of steps) expect(r).toMatchObject({ door: 'workflow', resourceType: 'study', resourceId: pet.study, patients: [patient], studies: [pet.study] });
    const verify = hub.cli(['audit', 'verify'], 60_000);
    expect(verify.stdout).toMatch(/audit trail intact/);
    expect(verify.status).toBe(0);
  });
});
