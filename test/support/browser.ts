import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { dcmtk } from './dcmtk';
import { ROOT } from './env';
import { Hub } from './hub';
import { waitFor } from './wait-for';

/** Debian's Chromium, headless, with nothing of its own going to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A synthetic CT study (bench/generate-ct.py) sent to the hub by storescu and indexed; returns its Study Instance UID. */
export async function storeSyntheticCt(hub: Hub, slices: number, seed: number, patientId: string): Promise<string> {
  const dir = join(hub.dir, `ct-${patientId}`);
  const studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(slices), '--seed', String(seed), '--patient-id', patientId], { encoding: 'utf8' }).trim();
  const sent = dcmtk('storescu', [...hub.scu(), ...readdirSync(dir).map((f) => join(dir, f))]);
  if (sent.status !== 0) throw new Error(`storescu failed: ${sent.stderr}`);
  await waitFor('study indexed', async () => (await hub.sql('SELECT 1 FROM study WHERE study_uid = $1', [studyUid])).length === 1);
  return studyUid;
}

/** The demo users' one password (config/krypton.yaml, README). */
export const DEMO_PASSWORD = 'krypton-demo';

/**
 * Signs a demo user in through the development identity provider, as a person would: opens a
 * console page, is sent to the provider's form, types the user id and the password, and comes
 * back to the page (authorization code + PKCE, the api's /auth/login and /auth/callback).
 */
export async function signInToConsole(page: Page, hub: Hub, user: string, path = '/console'): Promise<void> {
  await page.goto(`${hub.baseUrl}${path}`);
  await page.waitForURL(/\/interaction\//, { timeout: 30_000 });
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page
    .waitForURL((u) => u.href.startsWith(`${hub.baseUrl}${path}`), { timeout: 30_000 })
    .catch(async (e) => {
      throw new Error(`${e.message}\nat ${page.url()}: ${(await page.content()).slice(0, 800)}`);
    });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core (its own script, injected into the page) and answers the serious and critical
 * violations, each with the elements concerned, so that a failing test says what to fix.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // A string, evaluated in the page (this file is compiled without the DOM's types).
  const violations: AxeViolation[] = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with the list of serious and critical axe-core violations of the page as it is now. */
export async function expectAccessible(page: Page, where = page.url()): Promise<void> {
  const found = await seriousA11yViolations(page);
  if (found.length) throw new Error(`accessibility (axe-core) at ${where}:\n${found.map((v) => `- ${v.impact} ${v.id}: ${v.help} ${v.nodes.join(' ')}`).join('\n')}`);
}

/**
 * Whether the focused element matches `selector` once the focus has settled: while it sits in a
 * framed viewer that takes it by itself ([data-keep-focus], console.js), the console gives it back
 * in the next task, so the check waits for that (up to a second) instead of reading the focus in
 * the few milliseconds the viewer holds it (seen in CI: the check then missed #findings and the
 * next Tabs went past it).
 */
function focusSettledOn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(`new Promise((resolve) => {
    const since = Date.now();
    (function check() {
      const at = document.activeElement;
      if (at?.matches('iframe[data-keep-focus]') && !at.matches(${JSON.stringify(selector)}) && Date.now() - since < 1000) return setTimeout(check, 20);
      resolve(at?.matches(${JSON.stringify(selector)}) ?? false);
    })();
  })`);
}

/**
 * Presses Tab until the focused element matches `selector`, as a keyboard user would reach it;
 * fails if it is not reached within `max` presses. Answers how many presses it took.
 */
export async function tabTo(page: Page, selector: string, max = 60): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await focusSettledOn(page, selector)) return i;
  }
  const at = await page.evaluate(`document.activeElement?.outerHTML.slice(0, 200)`);
  throw new Error(`keyboard: ${selector} not reached in ${max} Tab presses (focus on ${at})`);
}
