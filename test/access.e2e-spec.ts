/**
 * The access model (issue #10) on the real hub: one decision on every HTTP door, the audit of
 * every access, break-the-glass, the audit interfaces, the append-only hash-chained trail, the
 * syslog export, and the role × route matrix generated from the api's own route table.
 *
 * Data: study A (an RDSR with dose) from MODALITY1 (CHU Nord) of a patient with INS
 * 299999999999999; study B (a CT image and an Encapsulated PDF report filed in it) from
 * MODALITY2 (Clinique du Sud) of the demo patient (INS 180017512345678).
 */
import { createSocket, Socket } from 'node:dgram';
import { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@krypton/auth';
import { readPart10 } from '@krypton/dicom-codec';
import { dcmtk } from './support/dcmtk';
import { ROOT, SHARED_DATA } from './support/env';
import { Hub } from './support/hub';
import { waitFor } from './support/wait-for';
import { accessRouteMatrix } from './support/route-matrix';
import { startStorescp } from './support/dcmtk';
import { freePort } from './support/ports';
import { ackFields, mllpSend } from './support/mllp';
import { readdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { ADMIN, AUDITOR, bearer, PATIENT, PHYSICIST, RADIOLOGIST, REFERRER, RESEARCHER } from './support/demo-tokens';

jest.setTimeout(180_000);

const DEMO_INS = '180017512345678';
const OTHER_INS = '299999999999999';

const RDSR = join(SHARED_DATA, 'rdsr/CT-RDSR-GEPixelMed.dcm');
const CT = join(SHARED_DATA, 'images/CT-SC-Philips_Brilliance16P.dcm');
const uidOf = (path: string) => readPart10(require('node:fs').readFileSync(path)).dataset.StudyInstanceUID as string;
const STUDY_A = uidOf(RDSR);
const STUDY_B = uidOf(CT);

describe('Access model and audit (e2e)', () => {
  let syslog: Socket;
  const syslogLines: string[] = [];
  let hub: Hub;
  let storescp: ChildProcess;
  let scpDir = '';
  let reportSop = '';
  let ctSeries = '';
  let ctSop = '';

  const get = (path: string, who: Record<string, string>, accept = 'application/dicom+json') => fetch(`${hub.baseUrl}${path}`, { headers: { ...who, Accept: accept } });
  const qido = async (who: Record<string, string>, path = '/dicomweb/studies'): Promise<string[]> => {
    const res = await get(path, who);
    if (res.status === 204) return [];
    expect(res.status).toBe(200);
    return ((await res.json()) as any[]).map((d) => d['0020000D'].Value[0]);
  };

  beforeAll(async () => {
    syslog = createSocket('udp4');
    syslog.on('message', (m) => syslogLines.push(m.toString('utf8')));
    await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', () => r()));
    const scpPort = await freePort();
    const demoUsers = require('yaml').parse(require('node:fs').readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8')).users;
    hub = new Hub({
      name: 'access',
      redisDb: 7,
      aes: [{ aeTitle: 'ACCESSSCP', site: 'chu-nord', host: '127.0.0.1', port: scpPort, kind: 'workstation' }],
      config: {
        users: [
          ...demoUsers,
          { name: 'e2e-site', roles: ['site'], site: 'chu-nord', tokenSha256: sha256Hex('e2e-site-token') },
          { name: 'e2e-dpo', roles: ['dpo'], tokenSha256: sha256Hex('e2e-dpo-token') },
          { name: 'e2e-coordinator', roles: ['coordinator'], site: 'chu-nord', tokenSha256: sha256Hex('e2e-coordinator-token') },
        ],
        audit: { maxLagSeconds: 1, syslog: { host: '127.0.0.1', port: (syslog.address() as AddressInfo).port, protocol: 'udp', sourceId: 'krypton-e2e' } },
      },
    });
    await hub.start();
    scpDir = mkdtempSync(join(hub.dir, 'storescp-'));
    storescp = startStorescp('ACCESSSCP', scpPort, scpDir);
    // A from CHU Nord, B (image + report PDF filed in the study) from the Clinique du Sud.
    expect(dcmtk('storescu', [...hub.scu('MODALITY1'), RDSR]).status).toBe(0);
    const dir = mkdtempSync(join(hub.dir, 'pdf-'));
    writeFileSync(join(dir, 'r.pdf'), '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    expect(dcmtk('pdf2dcm', ['--study-from', CT, join(dir, 'r.pdf'), join(dir, 'r.dcm')]).status).toBe(0);
    reportSop = readPart10(require('node:fs').readFileSync(join(dir, 'r.dcm'))).dataset.SOPInstanceUID as string;
    expect(dcmtk('storescu', [...hub.scu('MODALITY2'), CT, join(dir, 'r.dcm')]).status).toBe(0);
    await waitFor('both studies indexed', async () => (await hub.sql('SELECT count(*)::int AS n FROM instance'))[0].n === 3, 60_000);
    // What an ADT A08 would do: the catalogue learns each patient's INS.
    await hub.sql(`UPDATE patient SET ins = $1 WHERE id = (SELECT patient_fk FROM study WHERE study_uid = $2)`, [OTHER_INS, STUDY_A]);
    await hub.sql(`UPDATE patient SET ins = $1 WHERE id = (SELECT patient_fk FROM study WHERE study_uid = $2)`, [DEMO_INS, STUDY_B]);
    const [ct] = await hub.sql<{ series: string; sop: string }>(
      `SELECT se.series_uid AS series, i.sop_instance_uid AS sop FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk
        WHERE st.study_uid = $1 AND se.modality <> 'DOC'`,
      [STUDY_B],
    );
    ctSeries = ct.series;
    ctSop = ct.sop;
  });

  afterAll(async () => {
    storescp?.kill();
    await hub?.stop();
    syslog?.close();
  });

  describe('the leaks of the issue are closed', () => {
    it("a patient does not list another patient's study in QIDO, and gets 404 on its metadata", async () => {
      expect(await qido(PATIENT)).toEqual([]);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, PATIENT)).status).toBe(404);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, ADMIN)).status).toBe(200);
    });

    it('a patient cannot send a study to a destination (forwarding)', async () => {
      const res = await fetch(`${hub.baseUrl}/studies/${STUDY_B}/send`, {
        method: 'POST',
        headers: { ...PATIENT, 'content-type': 'application/json' },
        body: JSON.stringify({ destination: 'ORTHANC' }),
      });
      expect(res.status).toBe(403);
    });

    it("a patient does not read another patient's dose history; they read their own", async () => {
      expect((await get(`/patients/${OTHER_INS}/dose-history`, PATIENT, 'application/json')).status).toBe(404);
      expect((await get(`/patients/${OTHER_INS}/dose-history`, ADMIN, 'application/json')).status).toBe(200);
    });

    it('a referrer neither lists nor reads a study nobody shared with them', async () => {
      expect(await qido(REFERRER)).toEqual([]);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, REFERRER)).status).toBe(404);
      expect((await get(`/dicomweb/studies/${STUDY_B}/series/${ctSeries}/instances/${ctSop}/frames/1`, REFERRER, 'multipart/related; type="application/octet-stream"')).status).toBe(404);
    });

    it('the report Encapsulated PDF filed in a study is not served to whoever may not see the study', async () => {
      const [doc] = await hub.sql<{ series: string }>(`SELECT se.series_uid AS series FROM instance i JOIN series se ON se.id = i.series_fk WHERE i.sop_instance_uid = $1`, [reportSop]);
      const path = `/dicomweb/studies/${STUDY_B}/series/${doc.series}/instances/${reportSop}`;
      for (const who of [PATIENT, REFERRER, RADIOLOGIST]) expect((await get(path, who, 'multipart/related; type="application/dicom"')).status).toBe(404);
      expect((await get(`/dicomweb/studies/${STUDY_B}/instances`, RADIOLOGIST)).status).toBe(204);
      expect((await get(path, ADMIN, 'multipart/related; type="application/dicom"')).status).toBe(200);
    });

    it("STOW-RS into another site's existing study is refused (409, Failure Reason 0x0124), and does not make it the uploader's", async () => {
      const stow = (file: string, who: Record<string, string>) => {
        const boundary = 'e2e-stow-boundary';
        const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), require('node:fs').readFileSync(file), Buffer.from(`\r\n--${boundary}--\r\n`)]);
        return fetch(`${hub.baseUrl}/dicomweb/studies`, {
          method: 'POST',
          headers: { ...who, 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
          body,
        });
      };
      // The radiologist (CHU Nord) into the Clinique du Sud's study B.
      const refused = await stow(CT, RADIOLOGIST);
      expect(refused.status).toBe(409);
      const failed = ((await refused.json()) as any)['00081198'].Value[0];
      expect(failed['00081197'].Value[0]).toBe(0x0124);
      expect(refused.headers.get('warning')).toMatch(/may not write/);
      expect(await hub.sql('SELECT site FROM study_origin WHERE study_uid = $1', [STUDY_B])).toEqual([]);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(404);
      // Into their own site's study A, and the admin into any study: stored (a duplicate, kept first).
      expect((await stow(RDSR, RADIOLOGIST)).status).toBe(200);
      expect((await stow(CT, ADMIN)).status).toBe(200);
    });

    it("C-STORE into another site's existing study is refused (0x0124), audited as denied, neither stored nor indexed", async () => {
      // A new instance of the Clinique du Sud's study B, sent by CHU Nord's MODALITY1.
      const dir = mkdtempSync(join(hub.dir, 'cross-site-'));
      const copy = join(dir, 'ct.dcm');
      require('node:fs').copyFileSync(CT, copy);
      expect(dcmtk('dcmodify', ['-nb', '-gin', copy]).status).toBe(0);
      const sop = readPart10(require('node:fs').readFileSync(copy)).dataset.SOPInstanceUID as string;
      const refused = dcmtk('storescu', ['-v', ...hub.scu('MODALITY1'), copy]);
      expect(`${refused.stdout}${refused.stderr}`).toMatch(/Store Response \((Unknown Status: 0x0?124|Refused: ?Not ?Authori[sz]ed)\)/i);
      await waitFor(
        'the refusal in audit_event',
        async () =>
          (await hub.sql(`SELECT 1 FROM audit_event WHERE user_id = 'ae:MODALITY1' AND door = 'DIMSE' AND action = 'write' AND outcome = 'denied' AND studies @> ARRAY[$1]`, [STUDY_B])).length === 1,
      );
      // Not stored: no file under the storage root names it; not indexed: no row.
      const stored = (readdirSync(hub.storageRoot, { recursive: true } as never) as string[]).filter((f) => String(f).endsWith(`${sop}.dcm`));
      expect(stored).toEqual([]);
      expect(await hub.sql('SELECT 1 FROM instance WHERE sop_instance_uid = $1', [sop])).toEqual([]);
      // An existing study of the AE's own site is written: a new instance of study A (CHU Nord) from MODALITY1.
      const own = join(dir, 'sr.dcm');
      require('node:fs').copyFileSync(RDSR, own);
      expect(dcmtk('dcmodify', ['-nb', '-gin', own]).status).toBe(0);
      const ownSop = readPart10(require('node:fs').readFileSync(own)).dataset.SOPInstanceUID as string;
      expect(dcmtk('storescu', [...hub.scu('MODALITY1'), own]).status).toBe(0);
      await waitFor('the instance of its own site indexed', async () => (await hub.sql('SELECT 1 FROM instance WHERE sop_instance_uid = $1', [ownSop])).length === 1);
    });

    it("a study's routing decisions are decided on the study (404 for another site's), not by role alone", async () => {
      const COORDINATOR = bearer('e2e-coordinator-token');
      expect((await get(`/studies/${STUDY_A}/routing`, COORDINATOR, 'application/json')).status).toBe(200);
      expect((await get(`/studies/${STUDY_B}/routing`, COORDINATOR, 'application/json')).status).toBe(404);
      expect((await get(`/studies/${STUDY_B}/routing`, ADMIN, 'application/json')).status).toBe(200);
      await waitFor(
        'the refusal in audit_event',
        async () => (await hub.sql(`SELECT 1 FROM audit_event WHERE user_id = 'e2e-coordinator' AND outcome = 'denied' AND studies @> ARRAY[$1]`, [STUDY_B])).length === 1,
      );
    });

    it('a radiologist sees the exams of their site, not every site', async () => {
      expect(await qido(RADIOLOGIST)).toEqual([STUDY_A]);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(404);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, RADIOLOGIST)).status).toBe(200);
    });

    it('the viewer cookie goes through the same decision', async () => {
      const cookie = (t: string) => ({ Cookie: `krypton_token=${t}` });
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, cookie('demo-radiologist-token'))).status).toBe(404);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, cookie('demo-radiologist-token'))).status).toBe(200);
      // Records reach audit_event from the spool a moment after the answer (durable before it, drained
      // in batches): the read of study A through the cookie is there, at the viewer door.
      const viewerRead = () =>
        hub.sql(`SELECT 1 FROM audit_event WHERE user_id = 'demo-radiologist' AND door = 'viewer' AND action = 'read-metadata' AND outcome = 'allowed' AND studies @> ARRAY[$1]`, [STUDY_A]);
      await waitFor('the viewer read in audit_event', async () => (await viewerRead()).length === 1);
    });
  });

  describe("DIMSE doors: scoped by the calling AE's site and kind", () => {
    const found = (out: string) =>
      [
        ...out
          .split(/Find Response: \d+ \(Pending\)/)
          .slice(1)
          .join('')
          .matchAll(/\(0020,000d\) UI \[([\d.]+)[\s\0]*\]/g),
      ].map((m) => m[1]);
    const find = (ae: string) => {
      const r = dcmtk('findscu', ['-v', ...hub.scu(ae), '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', 'StudyInstanceUID']);
      return found(r.stdout + r.stderr);
    };

    it('C-FIND answers each modality the studies of its own site only', async () => {
      expect(find('MODALITY1')).toEqual([STUDY_A]);
      expect(find('MODALITY2')).toEqual([STUDY_B]);
      const rec = await waitFor(
        'the C-FIND in audit_event',
        async () =>
          (
            await hub.sql<{ door: string; user_id: string; site: string; studies: string[] }>(
              `SELECT door, user_id, site, studies FROM audit_event WHERE user_id = 'ae:MODALITY2' AND action = 'search' ORDER BY seq DESC LIMIT 1`,
            )
          )[0],
      );
      expect(rec).toEqual({ door: 'DIMSE', user_id: 'ae:MODALITY2', site: 'clinique-sud', studies: [STUDY_B] });
    });

    it("C-MOVE and C-GET retrieve nothing of another site's study, and are audited as denied", async () => {
      const move = (study: string) => dcmtk('movescu', [...hub.scu('MODALITY1'), '-aem', 'ACCESSSCP', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${study}`]);
      move(STUDY_B);
      await new Promise((r) => setTimeout(r, 500));
      expect(readdirSync(scpDir, { recursive: true } as never).filter((f) => String(f).endsWith('.dcm') || /^[A-Z]{2}\./.test(String(f).split('/').pop()!))).toEqual([]);
      move(STUDY_A);
      await waitFor('study A moved', () => (readdirSync(scpDir, { recursive: true } as never) as string[]).some((f) => String(f).includes('/')), 20_000);
      const getDir = mkdtempSync(join(hub.dir, 'getscu-'));
      dcmtk('getscu', [...hub.scu('MODALITY1'), '-od', getDir, '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${STUDY_B}`]);
      expect(readdirSync(getDir)).toEqual([]);
      const deniedRows = () => hub.sql(`SELECT action FROM audit_event WHERE user_id = 'ae:MODALITY1' AND outcome = 'denied' AND action <> 'write' AND studies @> ARRAY[$1]`, [STUDY_B]);
      await waitFor('both refusals in audit_event', async () => (await deniedRows()).length >= 2);
      const denied = await deniedRows();
      // ACCESSSCP is of MODALITY1's site: the C-MOVE is a retrieve (download), as the C-GET.
      expect(denied.map((d) => d.action)).toEqual(['download', 'download']);
    });

    it('the Modality Worklist answers a modality the items of its own site only', async () => {
      const id = '00000000-0000-4000-8000-0000000000aa';
      await hub.sql(
        `INSERT INTO exam_request (id, source, patient, patient_family_name, referrer, procedure_code, procedure_unmapped, priority, state, workflow_id, target_site)
         VALUES ($1, 'rest', '{}', 'SUD', '{}', 'ZBQK002', false, 'routine', 'scheduled', 'pathway-mwl', 'clinique-sud')`,
        [id],
      );
      await hub.sql(
        `INSERT INTO worklist_item (request_id, accession_number, study_instance_uid, requested_procedure_id, sps_id, site, ae_title, modality, scheduled_at, procedure_code, patient, priority)
         VALUES ($1, 'ACC-SUD-1', '1.2.826.0.1.3680043.10.77', 'RP1', 'SPS1', 'clinique-sud', 'MODALITY2', 'CT', now(), 'ZBQK002', '{"familyName":"SUD"}', 'routine')`,
        [id],
      );
      const mwl = (ae: string) => {
        const r = dcmtk('findscu', ['-v', '-W', '-k', 'AccessionNumber', ...hub.scu(ae)]);
        return r.stdout + r.stderr;
      };
      expect(mwl('MODALITY2')).toContain('ACC-SUD-1');
      expect(mwl('MODALITY1')).not.toContain('ACC-SUD-1');
      await hub.sql('DELETE FROM exam_request WHERE id = $1', [id]);
    });

    it('the HL7 door audits each message it applies, naming the sender', async () => {
      const ack = ackFields(await mllpSend(hub.hl7Port, join(ROOT, 'test/fixtures/hl7/orm-o01-two-exams.hl7')));
      expect(ack.code).toBe('AA');
      const rec = await waitFor(
        'the HL7 message in audit_event',
        async () => (await hub.sql<{ door: string; user_id: string; outcome: string }>(`SELECT door, user_id, outcome FROM audit_event WHERE door = 'HL7' ORDER BY seq DESC LIMIT 1`))[0],
      );
      expect(rec).toMatchObject({ door: 'HL7', outcome: 'allowed' });
      expect(rec.user_id).toMatch(/^hl7:.+@/);
    });

    it('C-STORE is audited once per study and association, not per instance', async () => {
      const rows = await hub.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE user_id = 'ae:MODALITY2' AND action = 'write' AND door = 'DIMSE' AND studies @> ARRAY[$1]`, [
        STUDY_B,
      ]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('role defaults', () => {
    it('researchers and auditors see no exam; admin sees all, newest filter in SQL before paging', async () => {
      expect((await get('/dicomweb/studies', RESEARCHER)).status).toBe(403);
      expect((await get('/dicomweb/studies', AUDITOR)).status).toBe(403);
      expect((await qido(ADMIN)).sort()).toEqual([STUDY_A, STUDY_B].sort());
      // Paging counts only what the caller may see: one result on the first page of one.
      expect(await qido(RADIOLOGIST, '/dicomweb/studies?limit=1&offset=0')).toEqual([STUDY_A]);
    });

    it("a physicist reads every dose record of their site, and not another site's exams", async () => {
      expect((await get(`/patients/${OTHER_INS}/dose-history`, PHYSICIST, 'application/json')).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(404);
    });

    it('a radiologist also sees what their reading pool holds a task for, and the referrer what they requested', async () => {
      const id = '00000000-0000-4000-8000-000000000001';
      await hub.sql(
        `INSERT INTO exam_request (id, source, patient, patient_ins, patient_family_name, referrer, procedure_code, procedure_unmapped, priority, state, workflow_id, acquired_study_uid, target_site)
         VALUES ($1, 'rest', '{}', $2, 'X', '{"rpps":"10000000001"}', 'ZBQK002', false, 'routine', 'reading', 'pathway-x', $3, 'clinique-sud')`,
        [id, DEMO_INS, STUDY_B],
      );
      await hub.sql(
        `INSERT INTO reading_task (request_id, pool, priority, state, opened_at, warn_at, due_at) VALUES ($1, 'regional-teleradiology', 'routine', 'open', now(), now(), now() + interval '1 day')`,
        [id],
      );
      expect((await qido(RADIOLOGIST)).sort()).toEqual([STUDY_A, STUDY_B].sort());
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(200);
      expect(await qido(REFERRER)).toEqual([STUDY_B]);
      expect((await get(`/requests/${id}`, REFERRER, 'application/json')).status).toBe(200);
      await hub.sql(`UPDATE reading_task SET state = 'cancelled' WHERE request_id = $1`, [id]);
      expect(await qido(RADIOLOGIST)).toEqual([STUDY_A]);
      await hub.sql(`DELETE FROM exam_request WHERE id = $1`, [id]);
      expect(await qido(REFERRER)).toEqual([]);
    });

    it("a patient sees their own exam once released (granted to their INS), never another's", async () => {
      expect(await qido(PATIENT)).toEqual([]);
      await hub.sql(`INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by) VALUES (gen_random_uuid(), $1, $2, 'released', 'report signed', 'e2e')`, [STUDY_B, `ins:${DEMO_INS}`]);
      expect(await qido(PATIENT)).toEqual([STUDY_B]);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PATIENT)).status).toBe(200);
      // A grant to the patient's INS on another patient's study gives nothing.
      await hub.sql(`INSERT INTO access_grant (id, study_uid, grantee, kind, reason, granted_by) VALUES (gen_random_uuid(), $1, $2, 'released', 'mistake', 'e2e')`, [STUDY_A, `ins:${DEMO_INS}`]);
      expect(await qido(PATIENT)).toEqual([STUDY_B]);
    });
  });

  describe('break-the-glass', () => {
    it('opens a study for a professional with a reason, time-limited, audited and shown to the patient', async () => {
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(404);
      const post = (who: Record<string, string>, body: unknown) =>
        fetch(`${hub.baseUrl}/access/emergency`, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post(PHYSICIST, { studyInstanceUid: STUDY_B })).status).toBe(400);
      expect((await post(PATIENT, { studyInstanceUid: STUDY_A, reason: 'curious' })).status).toBe(403);
      expect((await post(PHYSICIST, { studyInstanceUid: '1.2.3.999', reason: 'x' })).status).toBe(404);
      const res = await post(PHYSICIST, { studyInstanceUid: STUDY_B, reason: 'unconscious patient, dose check before CT' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { expiresAt: string };
      const minutes = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(230);
      expect(minutes).toBeLessThanOrEqual(240);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(200);
      const log = (await (await get('/me/access-log', PATIENT, 'application/json')).json()) as any[];
      const glass = log.find((r) => r.action === 'emergency-access');
      expect(glass).toMatchObject({ who: 'demo-physicist', emergency: true, outcome: 'allowed' });
      expect(glass.why).toMatch(/unconscious patient/);
      expect(log.some((r) => r.who === 'demo-physicist' && r.action === 'read-metadata' && r.why === 'grant:emergency')).toBe(true);
      // Expired: closed again.
      await hub.sql(`UPDATE access_grant SET expires_at = now() - interval '1 second' WHERE kind = 'emergency'`);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(404);
    });
  });

  describe('audit interfaces', () => {
    it('GET /audit: auditors and admin, newest first, by patient, study, user and time; denied accesses are there too', async () => {
      for (const who of [PATIENT, RADIOLOGIST, RESEARCHER]) expect((await get('/audit', who, 'application/json')).status).toBe(403);
      const rows = (await (await get(`/audit?studyInstanceUid=${STUDY_B}`, AUDITOR, 'application/json')).json()) as any[];
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => b - a));
      const denied = rows.find((r) => r.userId === 'demo-referrer' && r.outcome === 'denied');
      expect(denied).toMatchObject({ roles: ['referrer'], site: 'clinique-sud', door: 'DICOMweb', resourceType: 'study', patients: [DEMO_INS] });
      expect(denied.clientAddress).toMatch(/127\.0\.0\.1/);
      const byUser = (await (await get('/audit?user=demo-physicist', bearer('e2e-dpo-token'), 'application/json')).json()) as any[];
      expect(byUser.length).toBeGreaterThan(0);
      expect(byUser.every((r) => r.userId === 'demo-physicist')).toBe(true);
      const byPatient = (await (await get(`/audit?patient=${OTHER_INS}`, ADMIN, 'application/json')).json()) as any[];
      expect(byPatient.every((r) => r.patients.includes(OTHER_INS))).toBe(true);
      const future = (await (await get(`/audit?since=${new Date(Date.now() + 3600_000).toISOString()}`, AUDITOR, 'application/json')).json()) as any[];
      expect(future).toEqual([]);
      expect((await get('/audit?since=yesterday', AUDITOR, 'application/json')).status).toBe(400);
    });

    it('GET /me/access-log is for patients and shows only accesses to their own data, not their own reads', async () => {
      expect((await get('/me/access-log', ADMIN, 'application/json')).status).toBe(403);
      const log = (await (await get('/me/access-log', PATIENT, 'application/json')).json()) as any[];
      expect(log.length).toBeGreaterThan(0);
      expect(log.every((r) => r.who !== 'demo-patient')).toBe(true);
      expect(log.some((r) => r.who === 'demo-referrer' && r.outcome === 'denied')).toBe(true);
    });

    it('GET /fhir/AuditEvent answers a searchset of BALP-shaped AuditEvents', async () => {
      const res = await get(`/fhir/AuditEvent?patient=urn:oid:1.2.250.1.213.1.4.8|${DEMO_INS}&entity-identifier=urn:dicom:uid|urn:oid:${STUDY_B}`, AUDITOR, 'application/fhir+json');
      expect(res.status).toBe(200);
      const bundle = (await res.json()) as any;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      const ev = bundle.entry[0].resource;
      expect(ev).toMatchObject({ resourceType: 'AuditEvent', action: expect.stringMatching(/^[CRUDE]$/), outcome: expect.stringMatching(/^[048]$/) });
      expect(ev.agent[0]).toMatchObject({ requestor: true, who: { identifier: { value: expect.any(String) } } });
      expect(ev.entity).toEqual(expect.arrayContaining([expect.objectContaining({ what: { identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: DEMO_INS } } })]));
      expect((await get('/fhir/AuditEvent', PATIENT, 'application/fhir+json')).status).toBe(403);
    });

    it('exports every record to the syslog collector as RFC 5424 with a DICOM audit message (IHE ATNA)', async () => {
      await qido(ADMIN);
      await waitFor('syslog lines', () => syslogLines.length > 0, 10_000);
      const line = syslogLines.find((l) => l.includes('<EventID csd-code="110112"'));
      expect(line).toMatch(/^<8[45]>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ krypton-e2e \d+ IHE\+RFC-3881 - <\?xml/);
      expect(line).toContain('<AuditSourceIdentification AuditSourceID="krypton-e2e"');
    });
  });

  describe('the role × route matrix, generated from the api route table', () => {
    const tokens: Record<string, string> = {
      admin: 'demo-admin-token',
      auditor: 'demo-auditor-token',
      dpo: 'e2e-dpo-token',
      coordinator: 'demo-coordinator-token',
      radiologist: 'demo-radiologist-token',
      physicist: 'demo-physicist-token',
      site: 'e2e-site-token',
      referrer: 'demo-referrer-token',
      patient: 'demo-patient-token',
      researcher: 'demo-researcher-token',
    };

    it('every route has an access policy, and every role gets exactly what its policy says', async () => {
      const { routes, missing, expectAllowed } = accessRouteMatrix();
      expect(missing).toEqual([]);
      expect(routes.length).toBeGreaterThan(40);
      const wrong: string[] = [];
      for (const r of routes) {
        for (const [role, token] of Object.entries(tokens)) {
          const res = await fetch(`${hub.baseUrl}${r.samplePath}`, {
            method: r.method,
            headers: { ...bearer(token), 'content-type': 'application/json' },
            body: r.method === 'GET' ? undefined : '{}',
          });
          const text = await res.text();
          const refusedByPolicy = res.status === 403 && /is not allowed for the roles/.test(text);
          if (refusedByPolicy === expectAllowed(role, r)) wrong.push(`${role} ${r.method} ${r.path}: ${res.status} ${text.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('the trail itself', () => {
    it('refuses an access whose audit record cannot be made durable (the trail lags beyond audit.maxLagSeconds)', async () => {
      await hub.sql(`CREATE FUNCTION e2e_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
      await hub.sql(`CREATE TRIGGER e2e_block BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION e2e_block()`);
      try {
        // Durable in the spool: served; the database is then 1 s behind (this suite's bound).
        expect((await get('/dicomweb/studies', ADMIN)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1500));
        expect((await get('/dicomweb/studies', ADMIN)).status).toBe(503);
        expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, ADMIN)).status).toBe(503);
        expect((await get(`/requests`, ADMIN, 'application/json')).status).toBe(503);
      } finally {
        await hub.sql('DROP TRIGGER e2e_block ON audit_event');
      }
      // The spool drains on its next retry (≤ 2 s); accesses are served again once it caught up.
      await waitFor('the trail caught up', async () => (await get('/dicomweb/studies', ADMIN)).status === 200, 15_000);
    });

    it('is append-only for the database role of the app', async () => {
      await expect(hub.sql(`UPDATE audit_event SET user_id = 'someone-else' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(hub.sql(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(hub.sql(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    });

    it('`krypton audit verify` passes an intact chain and names an edited record and a gap', async () => {
      const verify = () => hub.cli(['audit', 'verify'], 60_000);
      for (let i = 0; i < 6; i++) await qido(ADMIN);
      const ok = verify();
      expect(ok.stdout).toMatch(/audit trail intact/);
      expect(ok.status).toBe(0);
      // Someone with the power to disable triggers edits one record and removes another.
      await hub.sql(`SET session_replication_role = replica; UPDATE audit_event SET user_id = 'nobody' WHERE seq = 3; DELETE FROM audit_event WHERE seq = 5;`);
      const bad = verify();
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/^edited\t3\t/m);
      expect(bad.stdout).toMatch(/^gap\t6\t/m);
    });
  });

  describe("the patient's access log", () => {
    it('shows a break-the-glass opening with its reason, a share opened by its recipient and a research extraction, each as an entry, in JSON and on the console page', async () => {
      const json = { 'content-type': 'application/json' };
      const post = (path: string, who: Record<string, string>, body: unknown) => fetch(`${hub.baseUrl}${path}`, { method: 'POST', headers: { ...who, ...json }, body: JSON.stringify(body) });
      // 1. Break-the-glass: CHU Nord's radiologist opens the patient's study B (Clinique du Sud) with a reason.
      const reason = 'suspected stroke, the prior CT is needed now';
      expect((await post('/access/emergency', RADIOLOGIST, { studyInstanceUid: STUDY_B, reason })).status).toBe(201);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(200);
      // 2. A share with the referrer (RPPS), opened by the referrer.
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, REFERRER)).status).toBe(404);
      const share = await post('/shares', ADMIN, { studyInstanceUid: STUDY_B, to: { rpps: '10000000001' }, rights: 'view', message: 'second opinion' });
      expect(share.status).toBe(201);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, REFERRER)).status).toBe(200);
      // 3. A research project over CT studies, approved by the committee: its extraction reads the patient's CT.
      const project = await post(
        '/research/projects',
        { ...RESEARCHER },
        {
          title: 'Access log e2e',
          protocolReference: 'PROTO-E2E-10',
          ethicsApprovalReference: 'CPP-E2E-10',
          cohort: { modalities: ['CT'] },
          options: [],
        },
      );
      expect(project.status).toBe(201);
      const { id: projectId } = (await project.json()) as { id: string };
      expect((await post(`/research/projects/${projectId}/approve`, bearer('demo-committee-token'), { note: 'approved' })).status).toBe(200);

      const log = await waitFor(
        'the extraction in the access log',
        async () => {
          const rows = (await (await get('/me/access-log', PATIENT, 'application/json')).json()) as any[];
          return rows.some((r) => r.action === 'research-extraction') ? rows : null;
        },
        120_000,
        500,
      );
      const glass = log.find((r) => r.action === 'emergency-access' && r.who === 'demo-radiologist');
      expect(glass).toMatchObject({ emergency: true, outcome: 'allowed', studies: [STUDY_B] });
      expect(glass.why).toContain(reason);
      expect(log.some((r) => r.who === 'demo-radiologist' && r.action === 'read-metadata' && r.why === 'grant:emergency' && r.emergency)).toBe(true);
      const opened = log.find((r) => r.who === 'demo-referrer' && r.action === 'read-metadata' && r.outcome === 'allowed');
      expect(opened).toMatchObject({ why: 'referrer:shared', door: 'DICOMweb', studies: [STUDY_B] });
      const extraction = log.find((r) => r.action === 'research-extraction');
      expect(extraction).toMatchObject({ who: null, door: 'workflow', outcome: 'allowed' });
      expect(extraction.studies).toContain(STUDY_B);

      // The console's page says the same, in words (French by default).
      const page = await (await fetch(`${hub.baseUrl}/console/patient/access-log`, { headers: { ...PATIENT, Accept: 'text/html' } })).text();
      const rows = [...page.matchAll(/<tr( class="emergency")?>([\s\S]*?)<\/tr>/g)].map((m) => ({ emergency: !!m[1], text: m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') }));
      expect(rows.some((r) => r.emergency && /demo-radiologist/.test(r.text) && r.text.includes(reason))).toBe(true);
      expect(rows.some((r) => /demo-referrer/.test(r.text) && /a consulté la description d(?:'|&#x27;|&#39;)un examen/.test(r.text) && /autorisé/.test(r.text))).toBe(true);
      expect(rows.some((r) => /la plateforme/.test(r.text) && /a extrait vos images, désidentifiées, pour un projet de recherche approuvé/.test(r.text))).toBe(true);
      expect(page).not.toMatch(/patient\.(action|door)\./);
    });
  });
});
