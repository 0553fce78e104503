import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { launchChromium, storeSyntheticCt } from './support/browser';
import { Hub } from './support/hub';

jest.setTimeout(180_000);

/**
 * The OHIF viewer (the @ohif/app package, served by the api on the DICOMweb origin) in Debian's
 * Chromium: the study list comes from QIDO-RS and the viewer renders a study's frames from
 * WADO-RS — the proof that the DICOMweb routes are conformant enough for OHIF.
 */
describe('OHIF viewer against the hub (headless Chromium)', () => {
  const hub = new Hub({ name: 'viewer', redisDb: 8 });
  let browser: Browser;
  let studyUid = '';

  beforeAll(async () => {
    await hub.start();
    studyUid = await storeSyntheticCt(hub, 4, 5, 'VIEWER-1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub.stop();
  });

  it('lists the study and renders its images from DICOMweb', async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'krypton_token', value: 'demo-radiologist-token', url: hub.baseUrl }]);
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/dicomweb/') && r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${hub.baseUrl}/`);
    try {
      await page.getByText('SYNTHETIC, CT').first().waitFor({ timeout: 60_000 });
      await page.getByText('Synthetic CT').first().waitFor({ timeout: 5_000 });
    } finally {
      await page.screenshot({ path: join(hub.dir, 'study-list.png') });
    }

    const frame = page.waitForResponse((r) => /\/dicomweb\/studies\/.+\/frames\/\d+/.test(r.url()) && r.status() === 200, { timeout: 90_000 });
    await page.goto(`${hub.baseUrl}/viewer?StudyInstanceUIDs=${studyUid}`);
    try {
      await frame;
      await page.locator('canvas').first().waitFor({ timeout: 60_000 });
    } finally {
      await page.screenshot({ path: join(hub.dir, 'viewer.png') });
    }
    expect(failures).toEqual([]);
    await context.close();
  });

  it('sends nothing without a token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${hub.baseUrl}/dicomweb/studies`);
    expect(res?.status()).toBe(401);
    await context.close();
  });
});
