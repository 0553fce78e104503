import { join } from 'node:path';

/** Where the suites find shared things; set by global-setup, read by every suite. */
export const ROOT = join(__dirname, '../..');
export const SHARED_DATA = join(ROOT, '../shared/data');
/**
 * Everything the suites run against is derived from the checkout's path, so that two checkouts
 * tested at once on one machine (a developer's tree, a CI clone, a branch in a worktree) never
 * share, reset or stop each other's Temporal server, Redis server or databases.
 */
function checkoutHash(): number {
  let h = 0;
  for (const ch of ROOT) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
const CHECKOUT = checkoutHash();
/** The suites' own Temporal dev server (UI on port + 1000). */
export const TEST_TEMPORAL_ADDRESS = process.env.KRYPTON_TEST_TEMPORAL_ADDRESS ?? `127.0.0.1:${17233 + (CHECKOUT % 700)}`;
/**
 * The suites' own Redis server (started by global-setup, nothing persisted): a shared Redis has
 * only 16 numbered databases and `flushdb` of one suite would empty another checkout's queues.
 */
export const TEST_REDIS_PORT = Number(process.env.KRYPTON_TEST_REDIS_PORT ?? 19233 + (CHECKOUT % 700));
const CHECKOUT_TAG = CHECKOUT.toString(36);

/** A suite's own PostgreSQL database (dropped and created by the suite). */
export function testDatabaseUrl(name: string): string {
  return `postgres://postgres@127.0.0.1:5432/krypton_e2e_${CHECKOUT_TAG}_${name.replace(/\W/g, '_')}`;
}

/** A numbered database of the checkout's own Redis server. */
export function testRedisUrl(db: number): string {
  return `redis://127.0.0.1:${TEST_REDIS_PORT}/${db}`;
}
export const WORKFLOW_BUNDLE = process.env.KRYPTON_WORKFLOW_BUNDLE ?? join(ROOT, 'data/test/workflow-bundle.js');
export const TEST_DATA_DIR = join(ROOT, 'data/test');

/**
 * Each suite's hub runs in a Temporal namespace of its own: workflow ids derive from DICOM UIDs
 * (`study-<StudyInstanceUID>`), and two suites sending the same shared files must not signal
 * each other's workflows, whose workers are gone.
 */
export const SUITE_NAMESPACES = [
  'gateway',
  'forwarding',
  'api',
  'dose',
  'requests',
  'hl7',
  'viewer',
  'bench',
  'bench-access',
  'mwl',
  'reports',
  'pathway',
  'oru',
  'patient-key',
  'research',
  'routing',
  'bench-routing',
  'catalogue',
  'archive',
  'archive-s3',
  'signin',
  'edges',
  'faults',
  'dimse-edges',
  'access',
  'priors',
  'console',
  'sharing',
  'stow-destinations',
  'stow-peer',
  'audit-spool',
  'console-roles',
  'console-pathway',
  'protocol-actions',
].map((n) => `e2e-${n}`);

export function suiteNamespace(name: string): string {
  const ns = `e2e-${name}`;
  if (!SUITE_NAMESPACES.includes(ns)) throw new Error(`add "${name}" to SUITE_NAMESPACES in test/support/env.ts`);
  return ns;
}
