/**
 * Sharing (issue #11) on the real hub — PostgreSQL, Redis (the notification queue), Temporal,
 * and a real SMTP server (aiosmtpd): shares honoured by the decision point on every door, e-mails
 * as received, revocation, a patient's opposition, patient links with their QR code and second
 * factor, and expiry decided against an injected clock.
 *
 * Data: study A (an RDSR) from MODALITY1 (CHU Nord); study B (a CT image) from MODALITY2
 * (Clinique du Sud) of the demo patient (INS 180017512345678, birth date set to 1961-03-14).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { Test } from '@nestjs/testing';
import { sha256Hex } from '@krypton/auth';
import { readPart10 } from '@krypton/dicom-codec';
import { ConfigModule } from '@krypton/config';
import { DatabaseModule } from '@krypton/database';
import { QueueModule } from '@krypton/queue';
import { AuthModule } from '@krypton/auth';
import { ACCESS_CLOCK, AccessContext, AccessModule, AccessService, bindCondition, Clock } from '@krypton/access';
import { SharingModule, SharingService } from '@krypton/sharing';
import { dcmtk } from './support/dcmtk';
import { launchChromium, storeSyntheticCt } from './support/browser';
import { ROOT, SHARED_DATA, TEST_DATA_DIR } from './support/env';
import { Hub } from './support/hub';
import { SmtpSink } from './support/smtp-sink';
import { waitFor } from './support/wait-for';
import { ADMIN, bearer, COORDINATOR, PATIENT, PHYSICIST, RADIOLOGIST, REFERRER } from './support/demo-tokens';

jest.setTimeout(180_000);

const REFERRER2 = bearer('e2e-referrer2-token');
const REF2_RPPS = '10000000002';
const REF2_MAIL = 'dr.second@example.test';
const DEMO_INS = '180017512345678';

const RDSR = join(SHARED_DATA, 'rdsr/CT-RDSR-GEPixelMed.dcm');
const CT = join(SHARED_DATA, 'images/CT-SC-Philips_Brilliance16P.dcm');
const uidOf = (path: string) => readPart10(readFileSync(path)).dataset.StudyInstanceUID as string;
const STUDY_A = uidOf(RDSR);
const STUDY_B = uidOf(CT);

/** The URL a QR code (PNG data URL) holds, read back with a QR decoder. */
function decodeQr(dataUrl: string): string | null {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe('Sharing (e2e)', () => {
  let hub: Hub;
  let smtp: SmtpSink;

  const call = (method: string, path: string, who: Record<string, string>, body?: unknown, accept = 'application/json') =>
    fetch(`${hub.baseUrl}${path}`, {
      method,
      headers: { ...who, Accept: accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    });
  const get = (path: string, who: Record<string, string>, accept = 'application/dicom+json') => call('GET', path, who, undefined, accept);
  const qido = async (who: Record<string, string>): Promise<string[]> => {
    const res = await get('/dicomweb/studies', who);
    if (res.status === 204) return [];
    expect(res.status).toBe(200);
    return ((await res.json()) as any[]).map((d) => d['0020000D'].Value[0]).sort();
  };
  const share = async (who: Record<string, string>, body: Record<string, unknown>) => {
    const res = await call('POST', '/shares', who, body);
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = (who: Record<string, string>, uid: string) => get(`/dicomweb/studies/${uid}`, who, 'multipart/related; type="application/dicom"');

  beforeAll(async () => {
    const demo = require('yaml').parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    mkdirSync(TEST_DATA_DIR, { recursive: true });
    smtp = new SmtpSink(TEST_DATA_DIR);
    await smtp.start();
    hub = new Hub({
      name: 'sharing',
      redisDb: 6,
      // CHU Nord's PACS as a destination, for a hand-made send refused by the patient's opposition (never reached).
      aes: [{ name: 'CHU_PACS', aeTitle: 'CHUPACS', site: 'chu-nord', kind: 'pacs', host: '127.0.0.1', port: 9 }],
      config: {
        users: [...demo.users, { name: 'e2e-referrer2', roles: ['referrer'], identifiers: [`rpps:${REF2_RPPS}`], email: REF2_MAIL, tokenSha256: sha256Hex('e2e-referrer2-token') }],
        sites: demo.sites.map((s: any) => ({ ...s, email: `imagerie@${s.id}.example.test` })),
        sharing: {
          publicUrl: 'https://krypton.example.test',
          // Retries in seconds and a give-up after 15 s, so that the relay-down tests see both.
          mail: { smtp: { host: '127.0.0.1', port: smtp.port }, from: 'Krypton <hub@krypton.example.test>', locale: 'fr', retry: { initialSeconds: 1, maxSeconds: 2, giveUpAfterHours: 15 / 3600 } },
        },
      },
    });
    await hub.start();
    expect(dcmtk('storescu', [...hub.scu('MODALITY1'), RDSR]).status).toBe(0);
    expect(dcmtk('storescu', [...hub.scu('MODALITY2'), CT]).status).toBe(0);
    await waitFor('both studies indexed', async () => (await hub.sql('SELECT count(*)::int AS n FROM instance'))[0].n === 2, 60_000);
    await hub.sql(`UPDATE patient SET ins = $1, birth_date = '19610314' WHERE id = (SELECT patient_fk FROM study WHERE study_uid = $2)`, [DEMO_INS, STUDY_B]);
  });

  afterAll(async () => {
    await smtp?.stop();
    await hub?.stop();
  });

  describe('shares with professionals', () => {
    let shareId = '';

    it('a shared exam is visible to its recipient and not to another referrer; view rights do not download', async () => {
      expect(await qido(REFERRER2)).toEqual([]);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, REFERRER2)).status).toBe(404);
      const made = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view', message: 'Avis sur la dosimétrie ?' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ studyInstanceUids: [STUDY_A], to: { kind: 'rpps', value: REF2_RPPS }, rights: 'view', createdBy: 'demo-radiologist', revokedAt: null });
      shareId = made.body.id;

      expect(await qido(REFERRER2)).toEqual([STUDY_A]);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, REFERRER2)).status).toBe(200);
      expect((await download(REFERRER2, STUDY_A)).status).toBe(404);
      const shared = (await (await call('GET', '/shared/exams', REFERRER2)).json()) as any[];
      expect(shared).toEqual([expect.objectContaining({ via: 'share', shareId, studyInstanceUid: STUDY_A, sharedBy: 'demo-radiologist', rights: 'view', message: 'Avis sur la dosimétrie ?' })]);

      expect(await qido(REFERRER)).toEqual([]);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, REFERRER)).status).toBe(404);
      expect((await (await call('GET', '/shared/exams', REFERRER)).json()) as any[]).toEqual([]);
    });

    it('the recipient is told by e-mail, as the SMTP server received it: who, what access, where — no message, no patient data', async () => {
      const mail = await smtp.waitFor('the share notification', (m) => m.to.includes(REF2_MAIL));
      expect(mail.from).toContain('hub@krypton.example.test');
      expect(mail.subject).toBe('Krypton : demo-radiologist a partagé en consultation 1 examen(s) avec vous');
      expect(mail.text).toContain(`https://krypton.example.test/viewer?StudyInstanceUIDs=${STUDY_A}`);
      expect(mail.text).toContain('Un message vous attend');
      expect(mail.text).not.toContain('dosimétrie');
      await waitFor('the share records the notification as sent', async () => {
        const list = (await (await call('GET', `/shares?studyInstanceUid=${STUDY_A}`, RADIOLOGIST)).json()) as any[];
        return list.find((s) => s.id === shareId)?.notification.state === 'sent';
      });
    });

    it('reads through the share are audited under the recipient', async () => {
      const rows = (await (await call('GET', `/audit?studyInstanceUid=${STUDY_A}&user=e2e-referrer2`, ADMIN)).json()) as any[];
      expect(rows.some((r) => r.action === 'read-metadata' && r.outcome === 'allowed' && r.reason === 'referrer:shared')).toBe(true);
    });

    it('a revoked share closes the exam on the next request; only its maker (or an admin) revokes it', async () => {
      expect((await call('DELETE', `/shares/${shareId}`, REFERRER2)).status).toBe(404);
      const res = await call('DELETE', `/shares/${shareId}`, RADIOLOGIST);
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).revokedAt).toEqual(expect.any(String));
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, REFERRER2)).status).toBe(404);
      expect(await qido(REFERRER2)).toEqual([]);
      expect((await (await call('GET', '/shared/exams', REFERRER2)).json()) as any[]).toEqual([]);
    });

    it('refuses what it cannot honour, with a 4xx naming the field', async () => {
      const two = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS, site: 'clinique-sud' }, rights: 'view' });
      expect([two.status, two.body.field]).toEqual([422, 'to']);
      const site = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { site: 'nowhere' }, rights: 'view' });
      expect([site.status, site.body.message]).toEqual([422, 'to.site: unknown site "nowhere"']);
      const past = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view', expiresAt: '2020-01-01T00:00:00Z' });
      expect([past.status, past.body.field]).toEqual([422, 'expiresAt']);
      expect((await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'edit' })).status).toBe(400);
      // Nobody shares what they may not see themselves: B is not the CHU radiologist's.
      const notMine = await share(RADIOLOGIST, { studyInstanceUid: STUDY_B, to: { rpps: REF2_RPPS }, rights: 'view' });
      expect([notMine.status, notMine.body.field]).toEqual([404, 'studyInstanceUid']);
      expect((await share(bearer('demo-researcher-token'), { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view' })).status).toBe(403);
    });

    it("a share with an organisation (FINESS) opens the exam to its sites' professionals, with download when given", async () => {
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(404);
      const made = await share(COORDINATOR, { studyInstanceUid: STUDY_B, to: { organisation: '000000001' }, rights: 'download' });
      expect(made.status).toBe(201);
      expect(await qido(RADIOLOGIST)).toEqual([STUDY_A, STUDY_B].sort());
      expect((await download(RADIOLOGIST, STUDY_B)).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, REFERRER2)).status).toBe(404);
      await smtp.waitFor('the site mailbox notified', (m) => m.to.includes('imagerie@chu-nord.example.test'));
    });

    it('a notification the relay could not take is sent once the relay is back, exactly once', async () => {
      const toRef2 = () => smtp.messages().filter((m) => m.to.includes(REF2_MAIL)).length;
      const before = toRef2();
      await smtp.stop();
      const made = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view' });
      expect(made.status).toBe(201);
      const notification = async () => ((await (await call('GET', `/shares?studyInstanceUid=${STUDY_A}`, RADIOLOGIST)).json()) as any[]).find((s) => s.id === made.body.id).notification;
      // The relay is down: the attempt failed and says why; the share stands.
      const failed = await waitFor('the failed attempt recorded', async () => ((await notification()).state === 'failed' ? notification() : null));
      expect(failed.error).toMatch(/SMTP relay did not take the message/);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, REFERRER2)).status).toBe(200);

      await smtp.start();
      await waitFor('the notification sent after the relay came back', async () => (await notification()).state === 'sent', 90_000, 500);
      expect(toRef2()).toBe(before + 1);
      // Nothing left to send it again: the job is done, and a later retry or redrive would find it sent.
      await new Promise((r) => setTimeout(r, 3000));
      expect(toRef2()).toBe(before + 1);
      expect((await call('DELETE', `/shares/${made.body.id}`, RADIOLOGIST)).status).toBe(200);
    });

    it('a relay down past the give-up horizon leaves the notification failed (the dead letter) until someone sends it again', async () => {
      const toRef2 = () => smtp.messages().filter((m) => m.to.includes(REF2_MAIL)).length;
      const before = toRef2();
      await smtp.stop();
      try {
        const made = await share(RADIOLOGIST, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view' });
        expect(made.status).toBe(201);
        const notification = async () => ((await (await call('GET', `/shares?studyInstanceUid=${STUDY_A}`, RADIOLOGIST)).json()) as any[]).find((s) => s.id === made.body.id).notification;
        const dead = await waitFor(
          'the notification given up',
          async () => {
            const n = await notification();
            return /^gave up after \d+ attempts: /.test(n.error ?? '') ? n : null;
          },
          60_000,
          500,
        );
        expect(dead.state).toBe('failed');
        // Only its maker or an administrator asks again, once the relay is back.
        await smtp.start();
        expect((await call('POST', `/shares/${made.body.id}/notify`, REFERRER2)).status).toBe(404);
        expect((await call('POST', `/shares/${made.body.id}/notify`, RADIOLOGIST)).status).toBe(202);
        await waitFor('sent on request', async () => (await notification()).state === 'sent', 30_000, 500);
        expect(toRef2()).toBe(before + 1);
        // Asked again once sent: nothing more goes out.
        expect((await call('POST', `/shares/${made.body.id}/notify`, RADIOLOGIST)).status).toBe(202);
        await new Promise((r) => setTimeout(r, 2000));
        expect(toRef2()).toBe(before + 1);
        expect((await call('DELETE', `/shares/${made.body.id}`, RADIOLOGIST)).status).toBe(200);
      } finally {
        await smtp.start();
      }
    });

    it("an open viewer loses the exam on its next request once the share is revoked (WADO-RS with the recipient's token)", async () => {
      const [ct] = await hub.sql<{ series: string; sop: string }>(
        `SELECT se.series_uid AS series, i.sop_instance_uid AS sop FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk WHERE st.study_uid = $1`,
        [STUDY_B],
      );
      // What a viewer asks for, instance by instance (this CT secondary capture has no pixel data to ask frames of).
      const instance = `/dicomweb/studies/${STUDY_B}/series/${ct.series}/instances/${ct.sop}/metadata`;
      const series = `/dicomweb/studies/${STUDY_B}/series/${ct.series}/metadata`;
      expect((await get(instance, REFERRER2)).status).toBe(404);
      const made = await share(COORDINATOR, { studyInstanceUid: STUDY_B, to: { rpps: REF2_RPPS }, rights: 'view' });
      expect(made.status).toBe(201);
      expect([(await get(instance, REFERRER2)).status, (await get(series, REFERRER2)).status]).toEqual([200, 200]);
      expect((await call('DELETE', `/shares/${made.body.id}`, COORDINATOR)).status).toBe(200);
      expect([(await get(instance, REFERRER2)).status, (await get(series, REFERRER2)).status]).toEqual([404, 404]);
    });
  });

  describe("the patient's opposition", () => {
    it('set by the patient, it stops existing shares at once and refuses new ones with a clear 409', async () => {
      expect((await call('PUT', `/patients/${DEMO_INS}/opposition`, RADIOLOGIST, { opposed: true })).status).toBe(403);
      const set = await call('PUT', `/patients/${DEMO_INS}/opposition`, PATIENT, { opposed: true, reason: 'formulaire en ligne' });
      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({ patientKey: `ins:${DEMO_INS}`, opposed: true, updatedBy: 'demo-patient' });

      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(404);
      expect(await qido(RADIOLOGIST)).toEqual([STUDY_A]);
      const refused = await share(COORDINATOR, { studyInstanceUid: STUDY_B, to: { rpps: REF2_RPPS }, rights: 'view' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('the patient objects to the sharing of their exams');
      expect((await call('POST', '/shares/links', COORDINATOR, { studyInstanceUid: STUDY_B, secondFactor: 'birth-date' })).status).toBe(409);
    });

    it("a hand-made send of the exam to another site's destination is refused with 409, audited as denied", async () => {
      // STUDY_B was acquired at clinique-sud (MODALITY2); CHU_PACS is CHU Nord's.
      const res = await call('POST', `/studies/${STUDY_B}/send`, COORDINATOR, { destination: 'CHU_PACS' });
      expect(res.status).toBe(409);
      expect(((await res.json()) as any).message).toContain('the patient objects to sharing: no copy routed to another site');
      const denied = () => hub.sql(`SELECT 1 FROM audit_event WHERE user_id = 'demo-coordinator' AND action = 'send' AND outcome = 'denied' AND studies @> ARRAY[$1]`, [STUDY_B]);
      await waitFor('the refused send in the audit trail', async () => (await denied()).length === 1, 30_000, 200);
    });

    it('break-the-glass still passes it', async () => {
      expect((await call('POST', '/access/emergency', PHYSICIST, { studyInstanceUid: STUDY_B, reason: 'e2e: urgence vitale' })).status).toBe(201);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, PHYSICIST)).status).toBe(200);
    });

    it('lifted (here by an administrator), unexpired shares work again', async () => {
      expect((await (await call('GET', `/patients/${DEMO_INS}/opposition`, PATIENT)).json()) as any).toMatchObject({ opposed: true });
      expect((await call('PUT', `/patients/${DEMO_INS}/opposition`, ADMIN, { opposed: false })).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, RADIOLOGIST)).status).toBe(200);
    });
  });

  describe('patient links', () => {
    const open = (url: string, answer: string) =>
      fetch(url.replace('https://krypton.example.test', hub.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ answer }),
      });
    const makeLink = async (body: Record<string, unknown>) => {
      const res = await call('POST', '/shares/links', COORDINATOR, { studyInstanceUid: STUDY_B, ...body });
      expect(res.status).toBe(201);
      return (await res.json()) as any;
    };

    it("a link with its QR code opens the one exam, read-only, after the birth date; the opening is in the patient's access log; revoked, it stops", async () => {
      const made = await makeLink({ secondFactor: 'birth-date' });
      expect(made.url).toMatch(/^https:\/\/krypton\.example\.test\/l\/[A-Za-z0-9_-]{43}$/);
      expect(decodeQr(made.qrCode.png)).toBe(made.url);
      expect(made.qrCode.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(JSON.stringify(made.link)).not.toContain(made.url.split('/l/')[1]);

      const page = await fetch(made.url.replace('https://krypton.example.test', hub.baseUrl), { headers: { 'accept-language': 'fr' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Votre date de naissance');

      const wrong = await open(made.url, '15/03/1961');
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ attemptsLeft: 4 });
      const right = await open(made.url, '14/03/1961');
      expect(right.status).toBe(200);
      const cookie = /krypton_token=(kpl_[A-Za-z0-9_-]+)/.exec(right.headers.get('set-cookie') ?? '')?.[1];
      expect(cookie).toBeDefined();
      expect(right.headers.get('set-cookie')).toMatch(/HttpOnly/i);
      const viewer = { Cookie: `krypton_token=${cookie}` };
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, viewer)).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_A}/metadata`, viewer)).status).toBe(404);
      expect(await qido(viewer)).toEqual([STUDY_B]);
      expect((await download(viewer, STUDY_B)).status).toBe(403);
      // The session is for reading only: no state-changing call goes through with a cookie.
      expect((await call('POST', '/shares', viewer, { studyInstanceUid: STUDY_B, to: { rpps: REF2_RPPS }, rights: 'view' })).status).toBe(401);

      const log = (await (await call('GET', '/me/access-log', PATIENT)).json()) as any[];
      expect(log.some((r) => r.who === `link:${made.link.id}` && r.outcome === 'allowed' && r.why === 'patient link opened (birth-date)')).toBe(true);
      expect(log.some((r) => r.who === `link:${made.link.id}` && r.outcome === 'denied')).toBe(true);

      const mine = (await (await call('GET', '/shares/links', PATIENT)).json()) as any[];
      expect(mine.find((l) => l.id === made.link.id)).toMatchObject({ studyInstanceUid: STUDY_B, secondFactor: 'birth-date', openedCount: 1 });
      expect((await call('DELETE', `/shares/links/${made.link.id}`, REFERRER2)).status).toBe(404);
      expect((await call('DELETE', `/shares/links/${made.link.id}`, PATIENT)).status).toBe(200);
      expect((await get(`/dicomweb/studies/${STUDY_B}/metadata`, viewer)).status).toBe(401);
      expect((await open(made.url, '14/03/1961')).status).toBe(410);
    });

    it('opened in Chromium: the page asks the birth date, then the viewer renders the exam through the link session', async () => {
      // A synthetic CT from MODALITY1 (CHU Nord), whose frames the viewer renders; its patient's birth date set as an ADT would.
      const ct = await storeSyntheticCt(hub, 3, 11, 'SHARE-LINK-1');
      await hub.sql(`UPDATE patient SET birth_date = '19700101' WHERE id = (SELECT patient_fk FROM study WHERE study_uid = $1)`, [ct]);
      const res = await call('POST', '/shares/links', RADIOLOGIST, { studyInstanceUid: ct, secondFactor: 'birth-date' });
      expect(res.status).toBe(201);
      const made = (await res.json()) as any;
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ locale: 'fr-FR' });
        const page = await context.newPage();
        const refused: string[] = [];
        page.on('response', (r) => {
          if (r.url().includes('/dicomweb/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
        });
        await page.goto(made.url.replace('https://krypton.example.test', hub.baseUrl));
        await page.getByLabel(/date de naissance/i).fill('01/01/1970');
        const frame = page.waitForResponse((r) => /\/dicomweb\/studies\/.+\/frames\/\d+/.test(r.url()) && r.status() === 200, { timeout: 90_000 });
        await page.getByRole('button', { name: 'Ouvrir' }).click();
        await page.waitForURL(new RegExp(`/viewer\\?StudyInstanceUIDs=${ct.replace(/\./g, '\\.')}`), { timeout: 30_000 });
        try {
          await frame;
          await page.locator('canvas').first().waitFor({ timeout: 60_000 });
        } finally {
          await page.screenshot({ path: join(hub.dir, 'patient-link-viewer.png') });
        }
        expect(refused).toEqual([]);
        expect((await context.cookies()).find((c) => c.name === 'krypton_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      } finally {
        await browser.close();
      }
    });

    it('locks after too many wrong answers, and then refuses the right one too', async () => {
      const made = await makeLink({ secondFactor: 'birth-date' });
      for (let i = 1; i <= 4; i++) expect((await open(made.url, `0${i}/01/1970`)).status).toBe(403);
      const fifth = await open(made.url, '05/01/1970');
      expect(fifth.status).toBe(423);
      expect((await open(made.url, '14/03/1961')).status).toBe(423);
    });

    it('a one-time code goes to the patient by e-mail and opens the link', async () => {
      const made = await makeLink({ secondFactor: 'code', email: 'patient@example.test' });
      const mail = await smtp.waitFor('the link code', (m) => m.to.includes('patient@example.test'));
      const code = /(\d{6})/.exec(mail.text)?.[1] as string;
      expect(mail.subject).toBe("Krypton : votre code d'accès à votre examen");
      expect((await open(made.url, String((Number(code) + 1) % 1_000_000).padStart(6, '0'))).status).toBe(403);
      expect((await open(made.url, code)).status).toBe(200);
      expect((await call('POST', '/shares/links', COORDINATOR, { studyInstanceUid: STUDY_B, secondFactor: 'code' })).status).toBe(422);
    });
  });

  describe('expiry, against an injected clock (the sharing service in-process, as the web console calls it)', () => {
    it('a share in force until T+1h opens the exam at T+30min and not at T+2h, in the decision and in the SQL filter', async () => {
      const t0 = new Date();
      let now = t0;
      const clock: Clock = { now: () => now };
      Object.assign(process.env, hub.env());
      const mod = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, AuthModule, AccessModule, SharingModule] })
        .overrideProvider(ACCESS_CLOCK)
        .useValue(clock)
        .compile();
      await mod.init();
      try {
        const sharing = mod.get(SharingService);
        const access = mod.get(AccessService);
        const radiologist: AccessContext = {
          subject: { kind: 'user', id: 'demo-radiologist', roles: ['radiologist'], sites: ['chu-nord'], pools: [], identifiers: [] },
          door: 'REST',
          clientAddress: null,
        };
        const ref2: AccessContext = {
          subject: { kind: 'user', id: 'e2e-referrer2', roles: ['referrer'], sites: [], pools: [], identifiers: [`rpps:${REF2_RPPS}`] },
          door: 'REST',
          clientAddress: null,
        };
        const made = await sharing.create(radiologist, { studyInstanceUid: STUDY_A, to: { rpps: REF2_RPPS }, rights: 'view', expiresAt: new Date(t0.getTime() + 3_600_000) });
        const visible = async () => {
          const f = access.filter(ref2, 'search');
          if (f === 'none' || f === 'all') return f;
          const values: unknown[] = [STUDY_A];
          const rows = await hub.sql(`SELECT 1 FROM study st WHERE st.study_uid = $1 AND ${bindCondition(f, values)}`, values);
          return rows.length === 1;
        };

        now = new Date(t0.getTime() + 30 * 60_000);
        expect((await access.authorizeExam(ref2, 'read-metadata', 'study', { studyUid: STUDY_A })).allowed).toBe(true);
        expect(await visible()).toBe(true);
        expect((await sharing.sharedWithMe(ref2, { limit: 10, offset: 0 })).map((s) => s.shareId)).toEqual([made.id]);

        now = new Date(t0.getTime() + 2 * 3_600_000);
        expect((await access.authorizeExam(ref2, 'read-metadata', 'study', { studyUid: STUDY_A })).allowed).toBe(false);
        expect(await visible()).toBe(false);
        expect(await sharing.sharedWithMe(ref2, { limit: 10, offset: 0 })).toEqual([]);
      } finally {
        await mod.close();
      }
    });
  });
});
