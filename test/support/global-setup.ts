import { spawn, execSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { SUITE_NAMESPACES, TEST_DATA_DIR, TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE } from './env';

function reachable(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Starts what every end-to-end suite shares: a Temporal dev server (its own port and SQLite file,
 * so a developer's running hub is not disturbed) and the prebuilt workflow bundle.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(TEST_DATA_DIR, { recursive: true });
  process.env.KRYPTON_WORKFLOW_BUNDLE = WORKFLOW_BUNDLE;
  await bundleWorkflows(WORKFLOW_BUNDLE);
  if (!(await reachable(TEST_TEMPORAL_ADDRESS))) {
    const temporal = execSync('command -v temporal', { encoding: 'utf8' }).trim();
    const [host, port] = TEST_TEMPORAL_ADDRESS.split(':');
    const db = join(TEST_DATA_DIR, 'temporal.db');
    rmSync(db, { force: true });
    const out = openSync(join(TEST_DATA_DIR, 'temporal.log'), 'w');
    const child = spawn(
      temporal,
      [
        'server', 'start-dev', '--headless', '--ip', host, '--port', port, '--ui-port', String(Number(port) + 1000),
        '--db-filename', db, '--log-level', 'error', ...SUITE_NAMESPACES.flatMap((ns) => ['--namespace', ns]),
      ],
      { stdio: ['ignore', out, out], detached: true },
    );
    child.unref();
    writeFileSync(join(TEST_DATA_DIR, 'temporal.pid'), String(child.pid));
    const deadline = Date.now() + 30_000;
    while (!(await reachable(TEST_TEMPORAL_ADDRESS))) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not start on ${TEST_TEMPORAL_ADDRESS}; see ${TEST_DATA_DIR}/temporal.log`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  process.env.KRYPTON_TEST_TEMPORAL_ADDRESS = TEST_TEMPORAL_ADDRESS;
}
