import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The worker takes a prebuilt bundle when one exists (KRYPTON_WORKFLOW_BUNDLE, written by
 * scripts/bundle-workflows.ts) and otherwise bundles workflows/ at start. A prebuilt bundle
 * starts a worker in well under a second instead of several on two cores.
 */
export async function workflowSource(): Promise<{ workflowBundle: { code: string } } | { workflowsPath: string }> {
  const bundle = process.env.KRYPTON_WORKFLOW_BUNDLE;
  if (bundle && existsSync(bundle)) return { workflowBundle: { code: readFileSync(bundle, 'utf8') } };
  return { workflowsPath: require.resolve(join(__dirname, '../../../../workflows')) };
}
