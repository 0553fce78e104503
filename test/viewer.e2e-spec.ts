import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { dcmtk } from './support/dcmtk';
import { ROOT } from './support/env';
import { Hub } from './support/hub';
import { waitFor } from './support/wait-for';

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
    const dir = join(hub.dir, 'ct');
    studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, '4', '--seed', '5', '--patient-id', 'VIEWER-1'], { encoding: 'utf8' }).trim();
    expect(dcmtk('storescu', [...hub.scu(), ...readdirSync(dir).map((f) => join(dir, f))]).status).toBe(0);
    await waitFor('study indexed', async () => (await hub.sql('SELECT 1 FROM study WHERE study_uid = $1', [studyUid])).length === 1);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
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
