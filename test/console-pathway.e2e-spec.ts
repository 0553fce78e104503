import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import { expectAccessible, launchChromium, signInToConsole, tabTo } from './support/browser';
import { dcmtk } from './support/dcmtk';
import { ROOT, SHARED_DATA } from './support/env';
import { Hub, HubApp } from './support/hub';
import { waitFor } from './support/wait-for';
import { CONSOLE_SCREENS } from '../apps/api/src/console/console-screens';

jest.setTimeout(300_000);

const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const REFERRER = auth('demo-referrer-token');
const RADIOLOGIST = auth('demo-radiologist-token');
/** The demo patient's INS (config/krypton.yaml): the exam is theirs, so they see it once reported. */
const PATIENT_INS = '180017512345678';

/**
 * One exam through the console, each role in its own browser, against the real hub (Temporal,
 * PostgreSQL, Redis, dcmtk, the development identity provider): a referrer asks for it (and is
 * warned of a recent equivalent exam before anything is sent), a coordinator schedules it from the
 * pathway board while the referrer's list follows by server-sent events, a modality sends images
 * (storescu), a radiologist signs (REST, their screens are another suite's), the referrer opens the
 * report, its PDF and the images in the viewer, and the patient finds their exam and their access
 * log. axe-core on every screen; the main tasks done with the keyboard.
 */
describe('Web console: an exam from request to results (referrer, coordinator, patient)', () => {
  let hub: Hub;
  let browser: Browser;
  let requestId = '';
  let referrer: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    const demo = parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    hub = new Hub({
      name: 'console-pathway',
      redisDb: 15,
      config: {
        // Short waits so the pathway moves in seconds (the pathway suite does the same).
        pathway: { acquisition: { mppsGraceMinutes: 0.05, imagesGraceMinutes: 1 }, dose: { waitMinutes: 0.2, pollMinutes: 0.05 }, reading: demo.pathway.reading, results: { destinations: [] } },
      },
    });
    await hub.prepare();
    const apps: HubApp[] = ['idp', 'api', 'worker', 'dicom-gateway', 'hl7-gateway'];
    for (const app of apps) hub.startApp(app);
    await waitFor('dev identity provider', async () => (await fetch(`${hub.idpUrl}/.well-known/openid-configuration`).catch(() => null))?.status === 200, 60_000, 300);
    await hub.waitHealthy();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await referrer?.context.close();
    await browser?.close();
    await hub?.stop();
  });

  async function signedIn(user: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await signInToConsole(page, hub, user, path);
    return { context, page };
  }

  const requestState = async (id: string) => ((await (await hub.api(`/requests/${id}`)).json()) as { state: string; studyInstanceUid: string; accessionNumber: string }).state;

  it('a referrer fills a new request, is warned of a recent equivalent exam before sending, sends it by keyboard and sees it received', async () => {
    // An earlier chest radiograph of the same patient, requested through the API.
    const earlier = await hub.api('/requests', {
      method: 'POST',
      headers: REFERRER,
      body: JSON.stringify({
        patient: { ins: PATIENT_INS, identifiers: [], familyName: 'MARTIN', givenName: 'Claire', birthDate: '19800115', sex: 'F' },
        referrer: { rpps: '10000000001', name: 'demo-referrer' },
        procedureCode: 'ZBQK002',
        priority: 'routine',
        targetSite: 'clinique-sud',
      }),
    });
    expect(earlier.status).toBe(201);
    const before = (await hub.sql<{ n: string }>('SELECT count(*) AS n FROM exam_request'))[0].n;

    referrer = await signedIn('demo-referrer', '/console/referrer/requests/new');
    const { page } = referrer;
    await page.getByRole('heading', { level: 1, name: "Nouvelle demande d'examen" }).waitFor();
    await expectAccessible(page);

    // Patient search by INS finds the patient of the earlier request and fills the fieldset.
    await page.getByLabel('INS ou identifiant local').fill(PATIENT_INS);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('button', { name: 'Utiliser ce patient' }).click();
    await waitFor('patient fields filled', async () => (await page.locator('#f-familyName').inputValue()) === 'MARTIN', 10_000, 100);
    expect(await page.locator('#f-ins').inputValue()).toBe(PATIENT_INS);

    await page.locator('#f-procedureCode').selectOption('ZBQK002');
    await page.locator('#f-priority-urgent').check();
    await page.locator('#f-clinicalInformation').fill('Toux fébrile depuis 5 jours.');
    await page.locator('#f-targetSite').selectOption('chu-nord');

    // Sent with the keyboard: the warning comes first, and nothing is stored yet.
    await page.locator('#f-targetSite').focus();
    await tabTo(page, '#submit-request');
    await page.keyboard.press('Enter');
    const warning = page.locator('.duplicate-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/Un examen équivalent récent existe[\s\S]*DX CHEST/);
    expect(await page.evaluate('document.activeElement.classList.contains("duplicate-warning")')).toBe(true);
    expect((await hub.sql<{ n: string }>('SELECT count(*) AS n FROM exam_request'))[0].n).toBe(before);
    await expectAccessible(page);

    await tabTo(page, '#submit-request');
    await Promise.all([page.waitForURL(/\/console\/referrer\/requests\/[0-9a-f-]{36}\?created=1$/), page.keyboard.press('Enter')]);
    requestId = page.url().match(/requests\/([0-9a-f-]{36})/)![1];
    await page.getByText('Votre demande a été envoyée.').waitFor();
    expect(await page.locator('dd.state').getAttribute('data-state')).toMatch(/received/);
    const stored = (await (await hub.api(`/requests/${requestId}`)).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({ priority: 'urgent', targetSite: 'chu-nord', clinicalInformation: 'Toux fébrile depuis 5 jours.', createdBy: 'demo-referrer', procedure: { code: 'ZBQK002' } });
    await expectAccessible(page);
  });

  it('a coordinator finds it on the pathway board, schedules it by keyboard, and the referrer’s list follows live', async () => {
    // The referrer keeps "my requests" open: its state must change without a reload.
    const list = referrer.page;
    await list.goto(`${hub.baseUrl}/console/referrer/requests`);
    await list.locator('body[data-live-ready=true]').waitFor();
    await list.evaluate('window.__stillThisPage = true');
    expect(await list.locator(`tr[data-request="${requestId}"] td.state`).getAttribute('data-state')).toBe('received');

    const { context, page } = await signedIn('demo-coordinator', '/console/coordinator/pathways');
    try {
      await page.getByRole('heading', { level: 1, name: 'Tableau des parcours' }).waitFor();
      const filtered = page.waitForResponse((r) => r.url().includes('/console/coordinator/pathways/rows'));
      await page.getByLabel('État', { exact: true }).selectOption('received');
      const rows = await filtered;
      expect(`${rows.status()} ${rows.url()}`).toMatch(/^200 .*state=received/);
      await page
        .locator(`#board-rows tr[data-request="${requestId}"]`)
        .waitFor({ timeout: 10_000 })
        .catch(async (e) => {
          throw new Error(`${e.message}\n${(await rows.text()).slice(0, 1500)}\n${await page.locator('main').innerHTML()}`);
        });
      expect(await page.locator('#board-rows tr').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#board-rows td.state').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')))).toEqual(expect.arrayContaining(['received']));
      await expectAccessible(page);

      await page.locator(`#board-rows tr[data-request="${requestId}"] a`).click();
      await page.getByRole('heading', { level: 1, name: 'Parcours : Radiographie du thorax' }).waitFor();
      await expectAccessible(page);
      await page.locator('#s-site').selectOption('chu-nord');
      await page.locator('#s-ae').selectOption('MODALITY1');
      await page.locator('#s-at').fill('2026-12-07T09:30');
      await page.locator('#s-at').focus();
      await tabTo(page, '#schedule-submit');
      await Promise.all([page.waitForURL(/done=scheduled$/), page.keyboard.press('Enter')]);
      await page.getByText("L'examen est programmé").waitFor();
      expect(await page.locator('ol.timeline li').evaluateAll((items) => items.map((i) => i.getAttribute('data-step')))).toEqual(expect.arrayContaining(['intake', 'scheduled']));
      expect(await page.locator('dd.state').getAttribute('data-state')).toBe('scheduled');
      await expectAccessible(page);
    } finally {
      await context.close();
    }

    await list.locator(`tr[data-request="${requestId}"] td.state[data-state="scheduled"]`).waitFor({ timeout: 15_000 });
    expect(await list.evaluate('window.__stillThisPage')).toBe(true);
  });

  it('after images and the signature, the referrer opens the report, its PDF and the images in the viewer', async () => {
    const exam = (await (await hub.api(`/requests/${requestId}`)).json()) as { studyInstanceUid: string; accessionNumber: string };
    const dir = mkdtempSync(join(hub.dir, 'exam-'));
    const files = ['images/DX-Im-Carestream_DRX.dcm', 'rdsr/CT-RDSR-GEPixelMed.dcm'].map((src, i) => {
      const file = join(dir, `${i}.dcm`);
      copyFileSync(join(SHARED_DATA, src), file);
      const r = dcmtk('dcmodify', [
        '-nb',
        '-gse',
        '-gin',
        '-m',
        `(0010,0020)=CP-IPP-1`,
        '-m',
        '(0010,0010)=MARTIN^Claire',
        '-m',
        `(0008,0050)=${exam.accessionNumber}`,
        '-m',
        `(0020,000d)=${exam.studyInstanceUid}`,
        file,
      ]);
      expect(r.status).toBe(0);
      return file;
    });
    const sent = dcmtk('storescu', [...hub.scu('MODALITY1'), ...files]);
    expect(sent.status).toBe(0);
    await waitFor(`request in reading (logs in ${hub.dir})`, async () => (await requestState(requestId)) === 'reading', 120_000, 500);
    // The task is claimable once the pathway has opened it (the mirror may say "reading" a moment before).
    let claim = '';
    await waitFor(
      'reading task claimed',
      async () => {
        const res = await hub.api(`/reading/tasks/${requestId}/claim`, { method: 'POST', headers: RADIOLOGIST });
        claim = `${res.status} ${await res.text()}`;
        return res.status === 200;
      },
      30_000,
      500,
    ).catch((e) => {
      throw new Error(`${e.message}: last answer ${claim}`);
    });
    expect(
      (await hub.api(`/reading/tasks/${requestId}/draft`, { method: 'PUT', headers: RADIOLOGIST, body: JSON.stringify({ findings: 'Pas de foyer.', conclusion: 'Radiographie thoracique normale.' }) }))
        .status,
    ).toBe(200);
    expect((await hub.api(`/reading/tasks/${requestId}/sign`, { method: 'POST', headers: RADIOLOGIST, body: '{}' })).status).toBe(200);
    // The page reloads itself while its request moves on (results delivered, closed): it is read once the pathway has ended.
    await waitFor('pathway closed', async () => (await requestState(requestId)) === 'closed', 60_000, 500);

    const { page } = referrer;
    await page.goto(`${hub.baseUrl}/console/referrer/requests/${requestId}`);
    await page.locator('.report .conclusion').waitFor();
    expect(await page.locator('.report .conclusion').innerText()).toBe('Radiographie thoracique normale.');
    await expectAccessible(page);
    const pdf = await page.request.get(`${hub.baseUrl}${await page.locator('#report-pdf').getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The viewer reads the study with the referrer's sign-in cookie (DICOMweb, decided and audited as the viewer).
    const frame = page.waitForResponse((r) => r.url().includes(`/dicomweb/studies/${exam.studyInstanceUid}/series`) && r.status() === 200, { timeout: 120_000 });
    await page.locator('#open-viewer').click();
    await page.waitForURL(new RegExp(`/viewer\\?StudyInstanceUIDs=${exam.studyInstanceUid.replace(/\./g, '\\.')}`));
    await frame;
  });

  it('the patient finds their exam and its report by keyboard, and sees who accessed their data', async () => {
    const { context, page } = await signedIn('demo-patient', '/console');
    try {
      await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
      await tabTo(page, '[data-screen=patient-exams] a');
      await Promise.all([page.waitForURL(/\/console\/patient\/exams$/), page.keyboard.press('Enter')]);
      await page.locator(`tr[data-request="${requestId}"]`).waitFor();
      await expectAccessible(page);
      await tabTo(page, `tr[data-request="${requestId}"] a[href="/console/patient/exams/${requestId}"]`);
      await Promise.all([page.waitForURL(new RegExp(`/console/patient/exams/${requestId}$`)), page.keyboard.press('Enter')]);
      expect(await page.locator('.report .conclusion').innerText()).toBe('Radiographie thoracique normale.');
      await expectAccessible(page);

      await page.goto(`${hub.baseUrl}/console/patient/access-log`);
      const log = await page.locator('table.access-log tbody').innerText();
      expect(log).toMatch(/demo-referrer/);
      expect(log).toMatch(/demo-radiologist/);
      expect(log).not.toMatch(/demo-patient/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it('the patient reads their dose history in plain words and revokes a share link; other roles see neither tile', async () => {
    const PATIENT = auth('demo-patient-token');
    const exam = (await (await hub.api(`/requests/${requestId}`)).json()) as { studyInstanceUid: string };
    const made = await hub.api('/shares/links', { method: 'POST', headers: PATIENT, body: JSON.stringify({ studyInstanceUid: exam.studyInstanceUid, secondFactor: 'birth-date' }) });
    expect(made.status).toBe(201);
    const link = (await made.json()) as { id?: string; link?: { id: string } };
    const linkId = link.link?.id ?? link.id!;
    const history = (await (await hub.api(`/patients/${PATIENT_INS}/dose-history`, { headers: PATIENT })).json()) as { cumulative?: { byModality: unknown[] }[] };
    const hasDose = (history.cumulative ?? []).some((w) => w.byModality.length > 0);

    const { context, page } = await signedIn('demo-patient', '/console');
    try {
      await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
      await tabTo(page, '[data-screen=patient-dose] a');
      await Promise.all([page.waitForURL(/\/console\/patient\/dose$/), page.keyboard.press('Enter')]);
      await page.getByRole('heading', { level: 1, name: 'Mon historique de dose' }).waitFor();
      if (hasDose) expect(await page.locator('.dose-sentences li').first().innerText()).toMatch(/^Votre dose cumulée en .+ sur les \d+ derniers mois/);
      else await page.locator('p.notice').waitFor();
      await expectAccessible(page);

      await page.goto(`${hub.baseUrl}/console`);
      await tabTo(page, '[data-screen=patient-links] a');
      await Promise.all([page.waitForURL(/\/console\/patient\/links$/), page.keyboard.press('Enter')]);
      const row = page.locator(`tr[data-link="${linkId}"]`);
      await row.waitFor();
      await expectAccessible(page);
      page.once('dialog', (d) => void d.accept());
      await Promise.all([page.waitForLoadState('load'), row.getByRole('button', { name: 'Révoquer' }).click()]);
      await waitFor('link shown revoked', async () => (await page.locator(`tr[data-link="${linkId}"]`).innerText()).includes('révoqué'), 10_000, 200);
      const after = (await (await hub.api('/shares/links', { headers: PATIENT })).json()) as { id: string; revokedAt: string | null }[];
      expect(after.find((l) => l.id === linkId)?.revokedAt).toBeTruthy();

      // English: the same page from the catalogue.
      await page.goto(`${hub.baseUrl}/console/lang/en`);
      await page.goto(`${hub.baseUrl}/console/patient/dose`);
      await page.getByRole('heading', { level: 1, name: 'My dose history' }).waitFor();
    } finally {
      await context.close();
    }

    // Not shown at all to the other roles (the referrer's and coordinator's home pages).
    for (const user of ['demo-referrer', 'demo-coordinator']) {
      const other = await signedIn(user, '/console');
      try {
        await other.page.getByRole('heading', { level: 1 }).first().waitFor();
        expect(await other.page.locator('[data-screen=patient-dose], [data-screen=patient-links]').count()).toBe(0);
      } finally {
        await other.context.close();
      }
    }
  });

  // `npm run console:screenshots`: each role's main screen (the screens with `screenshot` in their
  // entry, whoever added them) on the data this suite made, into docs/console/.
  (process.env.CONSOLE_SCREENSHOTS ? it : it.skip)('screenshots of each role’s main screen', async () => {
    const out = join(ROOT, 'docs/console');
    for (const screen of CONSOLE_SCREENS.filter((s) => s.screenshot)) {
      const { context, page } = await signedIn(screen.screenshot!.user, screen.path);
      try {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.screenshot({ path: join(out, screen.screenshot!.file), fullPage: true });
      } finally {
        await context.close();
      }
    }
  });
});
