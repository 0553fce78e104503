import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Prebuilds the workflow bundle so that worker start-up (and every test worker) skips webpack. */
export async function bundleWorkflows(out: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
}

if (require.main === module) {
  const out = resolve(process.argv[2] ?? 'data/workflow-bundle.js');
  bundleWorkflows(out).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
