import { join } from 'node:path';

/** Where the suites find shared things; set by global-setup, read by every suite. */
export const ROOT = join(__dirname, '../..');
export const SHARED_DATA = join(ROOT, '../shared/data');
/**
 * The suites' own Temporal dev server. Its port is derived from the checkout's path so that two
 * checkouts tested at once on one machine (a developer's tree and a CI clone) never share, and
 * never stop, each other's server.
 */
function checkoutPort(): number {
  let h = 0;
  for (const ch of ROOT) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 17233 + (h % 700);
}
export const TEST_TEMPORAL_ADDRESS = process.env.KRYPTON_TEST_TEMPORAL_ADDRESS ?? `127.0.0.1:${checkoutPort()}`;
export const WORKFLOW_BUNDLE = process.env.KRYPTON_WORKFLOW_BUNDLE ?? join(ROOT, 'data/test/workflow-bundle.js');
export const TEST_DATA_DIR = join(ROOT, 'data/test');

/**
 * Each suite's hub runs in a Temporal namespace of its own: workflow ids derive from DICOM UIDs
 * (`study-<StudyInstanceUID>`), and two suites sending the same shared files must not signal
 * each other's workflows, whose workers are gone.
 */
export const SUITE_NAMESPACES = ['gateway', 'forwarding', 'api', 'dose', 'requests', 'hl7', 'viewer', 'bench', 'mwl', 'reports', 'pathway', 'oru'].map((n) => `e2e-${n}`);

export function suiteNamespace(name: string): string {
  const ns = `e2e-${name}`;
  if (!SUITE_NAMESPACES.includes(ns)) throw new Error(`add "${name}" to SUITE_NAMESPACES in test/support/env.ts`);
  return ns;
}
