import { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launchChromium, signInToConsole, tabTo } from './support/browser';
import { ADMIN, Hub, HubApp } from './support/hub';
import { waitFor } from './support/wait-for';

jest.setTimeout(240_000);

/** The demo patient's INS (config/krypton.yaml). */
const PATIENT_INS = '180017512345678';

/**
 * The console's foundation in a real browser (Debian's Chromium) against the real hub: sign-in
 * through the development identity provider, a home page that lists only what the role may use
 * (the decision point of the API), French by default and English on request, error pages a person
 * understands, the CSRF rule of console actions, axe-core clean, reachable by keyboard.
 */
describe('Web console: foundation', () => {
  const hub = new Hub({ name: 'console', redisDb: 14 });
  let browser: Browser;

  beforeAll(async () => {
    await hub.prepare();
    const apps: HubApp[] = ['idp', 'api', 'worker', 'dicom-gateway', 'hl7-gateway'];
    for (const app of apps) hub.startApp(app);
    await waitFor('dev identity provider', async () => (await fetch(`${hub.idpUrl}/.well-known/openid-configuration`).catch(() => null))?.status === 200, 60_000, 300);
    await hub.waitHealthy();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub.stop();
  });

  async function signedIn(user: string, path = '/console', locale = 'fr-FR'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await signInToConsole(page, hub, user, path);
    return { context, page };
  }

  it('a patient signs in, finds only their screens on the home page, in French, and reaches their access log by keyboard', async () => {
    // Somebody else reads the patient's dose history: the patient's access log must show it.
    expect((await hub.api(`/patients/${PATIENT_INS}/dose-history`)).status).toBe(404);
    const { context, page } = await signedIn('demo-patient');
    try {
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
      expect(await page.locator('[data-screen]').evaluateAll((els) => els.map((e) => e.getAttribute('data-screen')))).toEqual(['patient-exams', 'patient-access-log', 'patient-dose', 'patient-links']);
      await expectAccessible(page);

      // Keyboard: the first Tab lands on the skip link; the screen's link is reachable and opens with Enter.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
      await tabTo(page, '[data-screen=patient-access-log] a');
      await Promise.all([page.waitForURL(/\/console\/patient\/access-log$/), page.keyboard.press('Enter')]);
      await page.getByRole('heading', { level: 1, name: 'Qui a consulté mes données' }).waitFor();
      const row = page.locator('table.access-log tbody tr').first();
      expect(await row.innerText()).toMatch(/demo-admin[\s\S]*administrateur·rice[\s\S]*la console ou un logiciel de la plateforme/);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it('hides what a role may not use, and explains a refusal in words with what to do next', async () => {
    const { context, page } = await signedIn('demo-coordinator');
    try {
      await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
      expect(await page.locator('[data-screen=patient-access-log]').count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Qui a consulté mes données' }).count()).toBe(0);

      const res = await page.goto(`${hub.baseUrl}/console/patient/access-log`);
      expect(res?.status()).toBe(403);
      await page.getByRole('heading', { level: 1, name: 'Cet écran ne fait pas partie de votre rôle' }).waitFor();
      expect(await page.locator('.error-page .next').innerText()).toMatch(/Revenez à l'accueil/);
      expect(await page.locator('.error-page .detail').textContent()).toMatch(/not allowed for the roles coordinator/);
      await expectAccessible(page);

      const missing = await page.goto(`${hub.baseUrl}/console/no-such-screen`);
      expect(missing?.status()).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('speaks English when asked: by the switch (a cookie) or by the browser (Accept-Language)', async () => {
    const { context, page } = await signedIn('demo-patient');
    try {
      await page.getByRole('link', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect((await context.cookies(hub.baseUrl)).find((c) => c.name === 'krypton_lang')?.value).toBe('en');
      await page.getByRole('link', { name: 'Français' }).click();
      await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    } finally {
      await context.close();
    }
    const english = await signedIn('demo-patient', '/console', 'en-GB');
    try {
      await english.page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      await english.page.locator('#main').getByRole('link', { name: 'Who accessed my data' }).waitFor();
    } finally {
      await english.context.close();
    }
  });

  it('sends a stranger to sign in, and comes back to the page asked for', async () => {
    const { context, page } = await signedIn('demo-patient', '/console/patient/access-log');
    try {
      await page.getByRole('heading', { level: 1, name: 'Qui a consulté mes données' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('serves htmx from the installed package, not from a CDN', async () => {
    const res = await fetch(`${hub.baseUrl}/console/assets/htmx.min.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/htmx/);
    const page = await (await fetch(`${hub.baseUrl}/console`, { headers: ADMIN, redirect: 'manual' })).text();
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });
});
